import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../src/logger.ts';
import { createTestApp, type TestApp } from '../../src/test-support/app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from '../../src/test-support/factories.ts';

/**
 * The attack tests of tests/security run against the real server listening on a loopback socket: every
 * request below is real HTTP (parallel bursts open parallel connections), never `inject`.
 */
export interface LiveServer extends TestApp {
  baseUrl: string;
  port: number;
}

export async function startLiveServer(
  env: Record<string, string> = {},
  logger?: Logger,
): Promise<LiveServer> {
  const t = await createTestApp({ listen: true, env, logger });
  const port = (t.server.server.address() as AddressInfo).port;
  return { ...t, port, baseUrl: `http://127.0.0.1:${port}` };
}

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: string | Buffer | object;
  /** The loopback address the connection comes from (127.0.0.2, …): a different client address. */
  localAddress?: string;
}

/** One request on its own connection (no keep-alive), so parallel calls really run in parallel. */
export function request(port: number, path: string, options: HttpOptions = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined;
  if (options.body !== undefined) {
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      body = options.body;
    } else {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        agent: false,
        localAddress: options.localAddress,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** An agency with a desk officer, an administrator, an API key, a procedure and one received dossier. */
export async function deskFixture(t: TestApp) {
  const agency = await buildAgency(t.app);
  const desk = await buildOfficer(t.app, agency.id, 'desk_officer', 'Cán Bộ Một Cửa');
  const admin = await buildOfficer(t.app, agency.id, 'admin', 'Quản Trị Viên');
  const key = await buildApiKey(t.app, agency.id);
  const procedure = await buildProcedure(t.app, [agency.id]);
  const dossier = await receiveViaApi(t.server, key.authorization, intakeBody(procedure.code));
  return { agency, desk, admin, key, procedure, dossier };
}

/** Logs in over the socket; returns the Cookie header. */
export async function liveLogin(port: number, username: string, password: string): Promise<string> {
  const res = await request(port, '/api/auth/login', { body: { username, password } });
  if (res.status !== 200) {
    throw new Error(`login failed: ${res.status} ${res.body}`);
  }
  const set = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('motcua_session='));
  if (!set) {
    throw new Error('no session cookie');
  }
  return set.split(';')[0]!;
}
