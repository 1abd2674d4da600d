import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ActingRole, type Actor, requireRole } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import {
  actorOf,
  authenticateApiKey,
  SESSION_COOKIE,
  type SessionUser,
  sessionUser,
  verifySession,
} from '../auth/index.ts';
import { AppError, Unauthenticated } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes an HTML form posted by our own page (application/x-www-form-urlencoded). */
    formPost?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    user: SessionUser | undefined;
  }
}

/**
 * Marks the hooks that authenticate, so that the server runs them first (`onRequest`) wherever a route lists
 * them: an anonymous request is answered 401 before its body is read or validated (it used to get a 400
 * describing the body's fields).
 */
export const AUTHENTICATES = Symbol('authenticates');

type AuthHook = ((request: FastifyRequest, reply: FastifyReply) => Promise<void>) & {
  [AUTHENTICATES]?: true;
};

export function authHook(fn: (request: FastifyRequest, reply: FastifyReply) => Promise<void>): AuthHook {
  return Object.assign(fn, { [AUTHENTICATES]: true as const });
}

/** Whether a route hook authenticates (see AUTHENTICATES). */
export function isAuthHook(hook: unknown): boolean {
  return typeof hook === 'function' && (hook as AuthHook)[AUTHENTICATES] === true;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Bodies a cross-site page cannot send without the browser asking us first (a CORS preflight, refused): JSON,
 * and the uploads (OA QR pictures, the national catalogue's Excel export).
 */
const STATE_CHANGE_TYPES = new Set([
  'application/json',
  'image/jpeg',
  'image/png',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);

/**
 * A state change authenticated by the session cookie must come from our own pages: SameSite=Strict is the
 * first line, this the second. The browser's Sec-Fetch-Site (or else the Origin) must say same origin, and a
 * body must be JSON (or an upload's type) — types that a cross-site form or `fetch` cannot send without a
 * CORS preflight. A route that takes an HTML form from our own page sets `config: { formPost: true }`.
 */
function refuseCrossSite(app: AppContext, request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method)) {
    return;
  }
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const ownOrigins = [new URL(app.config.http.publicBaseUrl).origin, `${request.protocol}://${request.host}`];
  if (
    (site !== undefined && site !== 'same-origin' && site !== 'none') ||
    (site === undefined && origin !== undefined && !ownOrigins.includes(origin))
  ) {
    throw new AppError(
      'cross_site_request',
      'State-changing requests with the session cookie must come from this site',
      'Yêu cầu không xuất phát từ trang của hệ thống.',
    );
  }
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  const formAllowed = request.routeOptions.config?.formPost === true;
  if (
    type !== undefined &&
    !STATE_CHANGE_TYPES.has(type) &&
    !(formAllowed && type === 'application/x-www-form-urlencoded')
  ) {
    throw new AppError(
      'unsupported_media_type',
      `Content-Type ${type} is not accepted here; send application/json`,
      'Dữ liệu gửi lên không đúng định dạng.',
    );
  }
}

/** The signed-in officer (cookie) or 401. */
export function officerAuth(app: AppContext, roles?: readonly ActingRole[]) {
  return authHook(async (request: FastifyRequest, _reply: FastifyReply) => {
    refuseCrossSite(app, request);
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
  });
}

/** The integration system behind `Authorization: Bearer <api key>` or 401. */
export function apiKeyAuth(app: AppContext) {
  return authHook(async (request: FastifyRequest, _reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match?.[1] ? await authenticateApiKey(app, match[1]) : undefined;
    if (!actor) {
      throw Unauthenticated('A valid API key is required: Authorization: Bearer <key>');
    }
    request.actor = actor;
  });
}

/**
 * Moves authentication hooks a route lists under `preHandler` to `onRequest` (registered on the server before
 * any route): routes keep declaring `preHandler: officerAuth(app)` and are authenticated first all the same.
 */
export function authenticateFirst(route: { preHandler?: unknown; onRequest?: unknown }): void {
  const pre = [route.preHandler ?? []].flat();
  const auth = pre.filter(isAuthHook);
  if (auth.length === 0) {
    return;
  }
  route.preHandler = pre.filter((h) => !isAuthHook(h));
  route.onRequest = [...[route.onRequest ?? []].flat(), ...auth];
}

/** The actor set by the route's auth hook. */
export function actorOfRequest(request: FastifyRequest): Actor {
  if (!request.actor) {
    throw Unauthenticated();
  }
  return request.actor;
}
