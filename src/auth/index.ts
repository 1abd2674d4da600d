/** The public entry of src/auth/: what other features and the app module may use. */
export { adminRoutes } from './admin-routes.ts';
export { authenticateApiKey, createApiKey } from './api-keys.ts';
export { checkPasswordStrength, hashPassword } from './passwords.ts';
export { authRoutes } from './routes.ts';
export { SESSION_COOKIE, verifySession } from './session-cookie.ts';
export { pruneSessions } from './sessions.ts';
export type { SessionUser } from './users.ts';
export { actorOf, createUser, sessionUser, storePassword } from './users.ts';
