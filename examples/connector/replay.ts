/**
 * Example connector: replays a CSV of dossiers and status events from your one-stop software into the
 * integration API (POST /api/v1/sync, 1000 items per call), then receives and VERIFIES the signed callbacks
 * (Zalo message sent / delivered / failed, SMS-email fallback, citizen follows the dossier).
 *
 *   node --experimental-strip-types examples/connector/replay.ts \
 *     --base http://127.0.0.1:3000 --key mck_… --csv examples/connector/sample.csv --listen 4545 --wait 30
 *
 * It subscribes its own receiver (http://<--host>:<--listen>/callbacks) for the run and removes the
 * subscription at the end. Node built-ins only: copy it and adapt the CSV columns to your export.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

export interface ReplayOptions {
  base: string;
  key: string;
  csv: string;
  /** Port of the callback receiver (0: any free one). */
  listen: number;
  /** Host name under which the API server reaches this receiver. */
  host: string;
  /** How long to wait for callbacks after the replay, in seconds. */
  waitSeconds: number;
  /** Stop waiting once this many verified callbacks arrived. */
  expectCallbacks?: number;
  log?: (line: string) => void;
}

export interface ReplayReport {
  results: { index: number; code: string | null; ok: boolean; outcome?: string; error?: { code: string } }[];
  callbacks: { id: string; type: string; dossierCode: string | null; verified: boolean }[];
}

/** The signature check a receiver must do: HMAC-SHA256 over "<timestamp>.<raw body>", at most 5 minutes old. */
export function verifySignature(secret: string, header: string | undefined, rawBody: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(Date.now() / 1000 - Number(m[1])) > 300) {
    return false;
  }
  const expected = createHmac('sha256', secret).update(`${m[1]}.${rawBody}`).digest();
  const given = Buffer.from(m[2]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A CSV line split on commas, honouring double quotes ("a, b" and "" inside quotes). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/** The CSV's rows as /api/v1/sync items. */
export function itemsOfCsv(text: string): object[] {
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const names = splitCsvLine(header!);
  return lines.map((line) => {
    const v = Object.fromEntries(splitCsvLine(line).map((x, i) => [names[i], x.trim()]));
    if (v.kind === 'dossier') {
      return {
        type: 'dossier',
        code: v.code,
        procedureCode: v.procedureCode,
        receivedAt: v.receivedAt,
        ...(v.appointmentDate ? { appointmentDate: v.appointmentDate } : {}),
        applicant: { fullName: v.fullName, phone: v.phone },
        notifyByZalo: v.notifyByZalo === 'true',
      };
    }
    return {
      type: 'status',
      code: v.code,
      status: Number(v.status),
      at: v.at,
      eventId: v.eventId,
      ...(v.note ? { note: v.note } : {}),
    };
  });
}

export async function replay(o: ReplayOptions): Promise<ReplayReport> {
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${o.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${o.key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${path}: ${res.status} ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  };

  const report: ReplayReport = { results: [], callbacks: [] };
  let secret = '';
  let wake: () => void = () => undefined;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = verifySignature(secret, req.headers['x-motcua-signature'] as string | undefined, raw);
      if (!verified) {
        // A 401 makes the sender retry later; a forged call is simply never accepted.
        res.statusCode = 401;
        res.end();
        log('callback REFUSED: bad signature');
        return;
      }
      const event = JSON.parse(raw) as { id: string; type: string; dossierCode: string | null };
      // Callbacks are delivered at least once: de-duplicate by event id.
      if (!report.callbacks.some((c) => c.id === event.id)) {
        report.callbacks.push({ id: event.id, type: event.type, dossierCode: event.dossierCode, verified });
        log(`callback ${event.type} ${event.dossierCode ?? ''} (event ${event.id}) signature ok`);
      }
      res.statusCode = 204;
      res.end();
      wake();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(o.listen, resolve));
  const port = (receiver.address() as AddressInfo).port;
  const subscription = await api('POST', '/api/v1/callbacks', {
    url: `http://${o.host}:${port}/callbacks`,
    events: [
      'notification.sent',
      'notification.delivered',
      'notification.failed',
      'fallback.sent',
      'citizen.followed_dossier',
    ],
  });
  secret = subscription.secret;
  try {
    const items = itemsOfCsv(await readFile(o.csv, 'utf8'));
    for (let i = 0; i < items.length; i += 1000) {
      const { results } = await api('POST', '/api/v1/sync', { items: items.slice(i, i + 1000) });
      for (const r of results) {
        report.results.push({ ...r, index: r.index + i });
        log(
          r.ok
            ? `row ${r.index + i + 2}: ${r.code} ${r.outcome} (status ${r.status})`
            : `row ${r.index + i + 2}: ${r.code ?? '?'} FAILED ${r.error.code}: ${r.error.message}`,
        );
      }
    }
    const deadline = Date.now() + o.waitSeconds * 1000;
    while (
      Date.now() < deadline &&
      report.callbacks.length < (o.expectCallbacks ?? Number.POSITIVE_INFINITY)
    ) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  } finally {
    await api('DELETE', `/api/v1/callbacks/${subscription.id}`).catch(() => undefined);
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
  log(
    `${report.results.filter((r) => r.ok).length}/${report.results.length} rows recorded, ${report.callbacks.length} callbacks verified`,
  );
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      base: { type: 'string', default: 'http://127.0.0.1:3000' },
      key: { type: 'string', default: process.env.MOTCUA_API_KEY ?? '' },
      csv: { type: 'string', default: new URL('./sample.csv', import.meta.url).pathname },
      listen: { type: 'string', default: '4545' },
      host: { type: 'string', default: '127.0.0.1' },
      wait: { type: 'string', default: '30' },
    },
  });
  await replay({
    base: values.base,
    key: values.key,
    csv: values.csv,
    listen: Number(values.listen),
    host: values.host,
    waitSeconds: Number(values.wait),
  });
}
