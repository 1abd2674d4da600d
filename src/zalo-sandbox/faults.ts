import type { FastifyReply } from 'fastify';
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
