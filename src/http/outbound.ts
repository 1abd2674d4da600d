import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

export interface OutboundRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** How the host name becomes an address (callbacks pin the address they checked). */
  lookup?: LookupFunction;
}

/**
 * Keep-alive connections for calls to other hosts (Zalo's APIs; the sandbox's webhooks). node:http costs a
 * quarter of the CPU of fetch per call (measured: 163 against 658 µs for client and server together), which
 * is what bounds sends per second on small nodes.
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/**
 * One HTTP exchange, the whole of it (connect, send, read the body) within `timeoutMs`. Redirects are not
 * followed: a 3xx is the answer.
 */
export function exchange(
  url: string,
  init: OutboundRequest,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) {
      headers['content-length'] = Buffer.byteLength(init.body);
    }
    const req = (secure ? https : http).request(
      target,
      {
        method: init.method,
        headers,
        agent: agents[secure ? 'https:' : 'http:'],
        ...(init.lookup ? { lookup: init.lookup } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', fail);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
    req.end(init.body);
  });
}
