import type { FastifyReply } from 'fastify';
import { oauthError, type ZaloError, ZaloErrors } from './errors.ts';
import type { EndpointKey, SandboxState } from './state.ts';

/**
 * Applies an injected fault before an endpoint answers. Returns true when the fault has answered (or dropped
 * the connection) instead of the endpoint.
 */
export async function applyFault(
  state: SandboxState,
  endpoint: EndpointKey,
  reply: FastifyReply,
): Promise<boolean> {
  const fault = state.faults.get(endpoint);
  if (!fault) {
    return false;
  }
  if (fault.latencyMs) {
    await new Promise((r) => setTimeout(r, fault.latencyMs));
  }
  const applies =
    fault.remaining !== undefined
      ? fault.remaining > 0
      : fault.percent !== undefined
        ? Math.random() * 100 < fault.percent
        : true;
  if (!applies) {
    return false;
  }
  if (fault.remaining !== undefined) {
    fault.remaining--;
  }
  if (fault.drop) {
    state.count(endpoint, true);
    reply.raw.destroy();
    return true;
  }
  if (fault.http500) {
    state.count(endpoint, true);
    await reply.status(500).type('text/html').send('<html><body>500 Internal Server Error</body></html>');
    return true;
  }
  if (fault.errorCode !== undefined) {
    state.count(endpoint, true);
    await reply.send({ error: fault.errorCode, message: `Injected error ${fault.errorCode}` });
    return true;
  }
  return false;
}

/**
 * Zalo saying no for good, switched on by an administrator or a test (`PUT /sandbox/api/refusals`), as opposed to
 * the transient faults above: every refresh refused as when the OA's grant is lost (the refresh token presented is
 * spent, so switching the refusal off does not revive it), and sends of chosen templates refused with a code
 * (-131 not approved by default, -146 disabled, -147 the template's daily limit…).
 */
export interface Refusals {
  refresh: boolean;
  templates: Map<string, number>;
}

export function newRefusals(): Refusals {
  return { refresh: false, templates: new Map() };
}

/** The token endpoint's answer to a refused refresh (zalo-platform.md §1.10: HTTP 200, error fields). */
export function refusedRefresh(state: SandboxState): ReturnType<typeof oauthError> | undefined {
  return state.refusals.refresh
    ? oauthError(-14014, 'Invalid refresh token', 'The OA administrator revoked the permission of the app')
    : undefined;
}

/** The error a send of this template gets while it is refused. */
export function templateRefusal(state: SandboxState, templateId: string): ZaloError | undefined {
  const code = state.refusals.templates.get(templateId);
  if (code === undefined) {
    return undefined;
  }
  const known = Object.values(ZaloErrors).find((e) => e.error === code);
  return { error: code, message: known?.message ?? `Template ${templateId} is refused (${code})` };
}

/** Applies an administrator's change: `{ refresh?: boolean, templates?: { [id]: code | null } }`. */
export function updateRefusals(
  state: SandboxState,
  body: unknown,
): { refresh: boolean; templates: Record<string, number> } {
  const b = (body ?? {}) as { refresh?: unknown; templates?: unknown };
  if (typeof b.refresh === 'boolean') {
    state.refusals.refresh = b.refresh;
  }
  if (b.templates && typeof b.templates === 'object') {
    for (const [id, code] of Object.entries(b.templates as Record<string, unknown>)) {
      if (code === null || code === false) {
        state.refusals.templates.delete(id);
      } else {
        state.refusals.templates.set(
          id,
          typeof code === 'number' ? code : ZaloErrors.templateNotApproved.error,
        );
      }
    }
  }
  return { refresh: state.refusals.refresh, templates: Object.fromEntries(state.refusals.templates) };
}
