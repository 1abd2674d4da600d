import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { type ActingRole, type Actor, requireRole } from '../auth/actor.ts';
import { authenticateApiKey } from '../auth/api-keys.ts';
import { SESSION_COOKIE, verifySession } from '../auth/session-cookie.ts';
import { actorOf, type SessionUser, sessionUser } from '../auth/users.ts';
import { Unauthenticated } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | undefined;
    user: SessionUser | undefined;
  }
}

/** The signed-in officer (cookie) or 401. */
export function officerAuth(app: AppContext, roles?: readonly ActingRole[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const claims = verifySession(
      app.config.secrets.session,
      request.cookies[SESSION_COOKIE],
      Math.floor(app.clock().getTime() / 1000),
    );
    const user = claims && (await sessionUser(app, claims));
    if (!user) {
      throw Unauthenticated('A valid session cookie is required');
    }
    request.user = user;
    request.actor = actorOf(user);
    if (roles) {
      requireRole(request.actor, roles, `use ${request.routeOptions.url}`);
    }
  };
}

/** The integration system behind `Authorization: Bearer <api key>` or 401. */
export function apiKeyAuth(app: AppContext) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match?.[1] ? await authenticateApiKey(app.db, match[1], app.clock()) : undefined;
    if (!actor) {
      throw Unauthenticated('A valid API key is required: Authorization: Bearer <key>');
    }
    request.actor = actor;
  };
}

/** The actor set by the route's auth hook. */
export function actorOfRequest(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw Unauthenticated();
  }
  return request.actor;
}
