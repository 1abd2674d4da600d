import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP receiver of callbacks whose behaviour a test sets: answer 200, answer 500, or never answer
 * (the sender's timeout). Records every call it got, whatever it answered.
 */
export async function startCallbackReceiver() {
  let mode: 'ok' | 'fail' | 'hang' = 'ok';
  const calls: ReceivedCall[] = [];
  const hanging = new Set<http.ServerResponse>();
  const waiters: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of waiters.splice(0)) {
        w();
      }
      if (mode === 'hang') {
        hanging.add(res);
        return;
      }
      res.statusCode = mode === 'ok' ? 200 : 500;
      res.end(mode === 'ok' ? 'ok' : 'receiver is down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/motcua`,
    calls,
    set(m: typeof mode) {
      mode = m;
    },
    /** Resolves at the next call received. */
    nextCall: () => new Promise<void>((resolve) => waiters.push(resolve)),
    async close() {
      for (const res of hanging) {
        res.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
