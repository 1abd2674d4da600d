import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../app-context.ts';
import { ZNoContent } from '../contracts/errors.ts';
import { ROLES } from '../contracts/statuses.ts';
import { type TMe, ZMe } from '../contracts/users.ts';
import { Forbidden } from '../errors.ts';
import { actorOfRequest, officerAuth } from '../http/auth.ts';
import { recordAudit } from '../record-audit.ts';
import { siteInfo } from '../zalo-oa/index.ts';
import { SESSION_COOKIE, verifySession } from './session-cookie.ts';
import { closeAllSessions, closeSession } from './sessions.ts';
import { changePassword, login, type SessionUser } from './users.ts';

function presentMe(u: SessionUser, oaName: string): TMe {
  return {
    id: u.id,
    username: u.username,
    fullName: u.fullName,
    role: u.role,
    roleLabel: ROLES[u.role],
    agency: { id: u.agencyId, code: u.agencyCode, name: u.agencyName },
    mustChangePassword: u.passwordIsDefault,
    oaName,
  };
}

export function authRoutes(app: AppContext) {
  const setCookie = (reply: FastifyReply, value: string) =>
    reply.setCookie(SESSION_COOKIE, value, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: app.config.http.cookieSecure,
      maxAge: app.config.session.hours * 3600,
    });

  return async (fastify: FastifyInstance) => {
    const r = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['Officer app: session'];

    r.post(
      '/api/auth/login',
      {
        // Before anything else, in memory: a flood of logins does not reach PostgreSQL or argon2.
        config: { rateLimit: { max: app.config.login.perMinutePerIp, timeWindow: 60_000 } },
        schema: {
          tags,
          body: z.object({ username: z.string().max(100), password: z.string().max(200) }),
          response: { 200: ZMe },
        },
      },
      async (req, reply) => {
        const { user, cookie } = await login(app, { ...req.body, ip: req.ip });
        setCookie(reply, cookie);
        return presentMe(user, (await siteInfo(app)).oaName);
      },
    );

    r.post(
      '/api/auth/logout',
      {
        schema: {
          tags,
          summary: 'Ends this session on the server (the cookie stops working everywhere)',
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        const claims = verifySession(
          app.config.secrets.session,
          req.cookies[SESSION_COOKIE],
          Math.floor(app.clock().getTime() / 1000),
        );
        if (claims) {
          await closeSession(app.db, claims.sessionId);
        }
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).send(null);
      },
    );

    r.post(
      '/api/auth/logout-everywhere',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          summary: 'Ends every session of the signed-in officer, this one included',
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOfRequest(req);
        await app.db.transaction().execute(async (tx) => {
          await closeAllSessions(tx, actor.id);
          await recordAudit(
            tx,
            actor,
            'auth.logout_everywhere',
            { type: 'app_user', id: actor.id },
            {},
            req.ip,
          );
        });
        return reply.clearCookie(SESSION_COOKIE, { path: '/' }).status(204).send(null);
      },
    );

    r.get(
      '/api/auth/me',
      { preHandler: officerAuth(app), schema: { tags, response: { 200: ZMe } } },
      async (req) => presentMe(req.user!, (await siteInfo(app)).oaName),
    );

    r.post(
      '/api/auth/password',
      {
        preHandler: officerAuth(app),
        schema: {
          tags,
          body: z.object({ currentPassword: z.string().max(200), newPassword: z.string().max(200) }),
          response: { 204: ZNoContent },
        },
      },
      async (req, reply) => {
        const actor = actorOfRequest(req);
        if (actor.kind !== 'user') {
          throw Forbidden('Only a signed-in officer has a password to change');
        }
        setCookie(reply, await changePassword(app, actor, req.body, req.ip));
        return reply.status(204).send(null);
      },
    );
  };
}
