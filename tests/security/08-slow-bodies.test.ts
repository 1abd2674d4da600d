import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LiveServer, request, startLiveServer } from './support.ts';

/** A connection that sends a request's headers announcing `length` bytes of body, then what it is told to. */
function unfinishedRequest(port: number, length: number, localAddress?: string) {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  let answer = '';
  socket.on('data', (c: Buffer) => {
    answer += c.toString('latin1');
  });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /api/public/lookup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`,
  );
  return { socket, closed, answer: () => answer };
}

/**
 * Resolves once the server has taken in `n` more requests: their headers parsed and the onRequest hooks run
 * (the body cap's is synchronous, in the server's own 'request' listener, which runs before this one).
 */
function requestsTaken(server: http.Server, n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onRequest = () => {
      seen++;
      if (seen === n) {
        server.off('request', onRequest);
        setImmediate(resolve);
      }
    };
    server.on('request', onRequest);
  });
}

/** Resolves once the server holds no connection any more (the closed uploads are released with them). */
async function connectionsClosed(server: http.Server): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const open = await new Promise<number>((resolve, reject) =>
      server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
    );
    if (open === 0) {
      return;
    }
    assert.ok(Date.now() < deadline, `${open} connections still open`);
    await sleep(10);
  }
}

/**
 * Item 8: no request timeout, no cap on bodies being received. A body trickled one byte every 5 s kept its
 * connection for 7 minutes; 300 unfinished 1 MB bodies held 270 MB.
 */
describe('attack: slow and unfinished request bodies', () => {
  let t: LiveServer;

  before(async () => {
    t = await startLiveServer({
      HTTP_REQUEST_TIMEOUT_SECONDS: '2',
      HTTP_MAX_PENDING_BODY_MB: '10',
      HTTP_MAX_PENDING_BODY_MB_PER_IP: '6',
    });
  });
  after(() => t.close());

  it('closes a connection whose body trickles in past the request timeout', async () => {
    const slow = unfinishedRequest(t.port, 100);
    let closedByServer = false;
    void slow.closed.then(() => {
      closedByServer = true;
    });
    // One byte every 250 ms for up to 10 s: five times the timeout.
    for (let i = 0; i < 40 && !closedByServer; i++) {
      slow.socket.write('{');
      await sleep(250);
    }
    assert.ok(closedByServer, 'the server still holds the connection');
    assert.match(slow.answer(), /^HTTP\/1\.1 408/);
  });

  it('answers 503 at once past the cap on 1 MB bodies being received, and recovers when they end', async () => {
    const taken = requestsTaken(t.server.server, 10);
    const open = Array.from({ length: 10 }, (_, i) =>
      unfinishedRequest(t.port, 1024 * 1024, `127.0.0.${20 + (i % 5)}`),
    );
    for (const o of open) {
      o.socket.write('x'.repeat(1024));
    }
    await taken;
    const refused = unfinishedRequest(t.port, 1024 * 1024, '127.0.0.30');
    await Promise.race([refused.closed, sleep(5000)]);
    assert.match(refused.answer(), /^HTTP\/1\.1 503/);
    assert.match(refused.answer(), /too_many_uploads/);
    // Requests without a body are not affected.
    assert.equal((await request(t.port, '/healthz')).status, 200);
    for (const o of open) {
      o.socket.destroy();
    }
    await Promise.all(open.map((o) => o.closed));
    refused.socket.destroy();
    await connectionsClosed(t.server.server);
    const after = await request(t.port, '/api/public/lookup', { body: { code: 'khong-phai-ma' } });
    assert.equal(after.status, 400, after.body);
  });

  it('caps one address before it can take every slot', async () => {
    const taken = requestsTaken(t.server.server, 6);
    const mine = Array.from({ length: 6 }, () => unfinishedRequest(t.port, 1024 * 1024, '127.0.0.40'));
    await taken;
    const seventh = unfinishedRequest(t.port, 1024 * 1024, '127.0.0.40');
    await Promise.race([seventh.closed, sleep(5000)]);
    assert.match(seventh.answer(), /^HTTP\/1\.1 503/);
    const other = await request(t.port, '/api/public/lookup', {
      body: { code: 'khong-phai-ma' },
      localAddress: '127.0.0.41',
    });
    assert.equal(other.status, 400, 'another address is served');
    for (const o of [...mine, seventh]) {
      o.socket.destroy();
    }
  });
});
