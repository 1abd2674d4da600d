import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZaloError } from './errors.ts';
import { applyFault } from './faults.ts';
import type { EndpointKey, SandboxState } from './state.ts';

/**
 * What every endpoint of the emulated Zalo hosts does around its own work: injected faults first, then the
 * `access_token` header (each host answers a bad token with its own error code), and every outcome counted.
 * Errors are HTTP 200 with `error != 0`, as Zalo answers them.
 */
export function endpointKit(state: SandboxState, tokenError: (check: 'expired' | 'invalid') => ZaloError) {
  const fail = (endpoint: EndpointKey, reply: FastifyReply, error: ZaloError) => {
    state.count(endpoint, true);
    return reply.send({ error: error.error, message: error.message });
  };
  return {
    fail,
    ok(endpoint: EndpointKey, reply: FastifyReply, data: unknown) {
      state.count(endpoint, false);
      return reply.send({ error: 0, message: 'Success', data });
    },
    /** False when the request has been answered already (a fault, or a refused token). */
    async admitted(endpoint: EndpointKey, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
      if (await applyFault(state, endpoint, reply)) {
        return false;
      }
      const token = request.headers.access_token;
      const check = state.checkAccessToken(
        typeof token === 'string' ? token : undefined,
        Date.now(),
        endpoint,
      );
      if (check !== 'valid') {
        await fail(endpoint, reply, tokenError(check));
        return false;
      }
      return true;
    },
  };
}
