import type { Role } from './db/schema.ts';
import { Forbidden } from './errors.ts';

/**
 * Who is acting: an officer (through the web app) or an integration system (through an API key).
 * Every action is scoped to the actor's agency.
 */
export type Actor =
  | { kind: 'user'; id: number; name: string; username: string; role: Role; agencyId: number }
  | { kind: 'api_key'; id: number; name: string; agencyId: number };

/** The role a business rule checks: integration systems act as the whole one-stop desk software. */
export type ActingRole = Role | 'integration';

export function actingRole(actor: Actor): ActingRole {
  return actor.kind === 'user' ? actor.role : 'integration';
}

/** What the software does by itself (the CLI, OAuth, demo data), for audit rows that name no officer. */
export interface SystemActor {
  kind: 'system';
  name: string;
}

/** The officer acting, for the `…_by` columns that name a user; null for an integration system or the system. */
export function userIdOf(actor: Actor | SystemActor): number | null {
  return actor.kind === 'user' ? actor.id : null;
}

/** Journal and audit columns identifying the actor. */
export function actorColumns(actor: Actor) {
  return {
    actor_user_id: userIdOf(actor),
    actor_api_key_id: actor.kind === 'api_key' ? actor.id : null,
    actor_name: actor.kind === 'user' ? actor.name : `API: ${actor.name}`,
  };
}

export function requireRole(actor: Actor, roles: readonly ActingRole[], what: string): void {
  if (!roles.includes(actingRole(actor))) {
    throw Forbidden(`Role ${actingRole(actor)} may not ${what}`);
  }
}
