import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';

/**
 * The correlation id of what is being done: the officer's (or API client's) request id, carried to the status
 * change it writes (dossier_journal.correlation_id), to each message planned from it (notification) and so to
 * every log line about its sends, receipt and fallbacks — `grep <id>` shows a message's whole life. Requests
 * run inside `withCorrelation` (src/http/server.ts); work started elsewhere (the CLI, jobs) gets a fresh id.
 */
const storage = new AsyncLocalStorage<string>();

const ID_BYTES = 8;
/** Random bytes for 512 ids, drawn at once: a `randomBytes` call per request cost the look-up ~5 % of its CPU. */
const pool = Buffer.alloc(ID_BYTES * 512);
let poolOffset = pool.length;

/** A new id: 16 hex characters. */
export function newCorrelationId(): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += ID_BYTES;
  return pool.toString('hex', poolOffset - ID_BYTES, poolOffset);
}

/** An id a client or a reverse proxy sent (`X-Request-Id`), when it is one we can safely log and store. */
export function acceptedCorrelationId(header: unknown): string | undefined {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{8,64}$/.test(header) ? header : undefined;
}

export function withCorrelation<T>(id: string, run: () => T): T {
  return storage.run(id, run);
}

/** The id of the request (or task) in progress, or a new one. */
export function currentCorrelationId(): string {
  return storage.getStore() ?? newCorrelationId();
}
