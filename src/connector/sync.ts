import type { Actor } from '../actor.ts';
import type { AppContext } from '../app-context.ts';
import { loadCalendar } from '../calendar/index.ts';
import { AppError } from '../errors.ts';
import { wakeStatusChangePlanners } from '../jobs/index.ts';
import { currentCorrelationId } from '../operations/index.ts';
import { ZSyncItem } from './contracts.ts';
import { externalCode, putExternalDossier, requireConnectedAgency } from './external-dossier.ts';
import { recordExternalStatuses } from './status-events.ts';

export interface SyncResult {
  index: number;
  code: string | null;
  ok: boolean;
  outcome?: string;
  status?: number;
  error?: { code: string; message: string };
}

/** Dossiers created or updated at once. */
const PARALLEL_DOSSIERS = 8;

/**
 * POST /api/v1/sync: up to 1000 dossiers and status events, for catching up after downtime. Each item is its
 * own business action (its own transaction) and gets its own answer: a bad one does not stop the others.
 * Items of one dossier run in the order sent.
 */
export async function syncBatch(app: AppContext, actor: Actor, items: unknown[]): Promise<SyncResult[]> {
  await requireConnectedAgency(app.db, actor);
  const calendar = await loadCalendar(app);
  const correlationId = currentCorrelationId();
  const results: SyncResult[] = new Array(items.length);
  const byCode = new Map<string, { index: number; item: ReturnType<typeof ZSyncItem.parse> }[]>();
  items.forEach((raw, index) => {
    const parsed = ZSyncItem.safeParse(raw);
    if (!parsed.success) {
      const code = (raw as { code?: unknown } | null)?.code;
      results[index] = {
        index,
        code: typeof code === 'string' ? code : null,
        ok: false,
        error: {
          code: 'invalid_input',
          message: parsed.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; '),
        },
      };
      return;
    }
    let code: string;
    try {
      code = externalCode(parsed.data.code);
    } catch (err) {
      results[index] = { index, code: parsed.data.code, ok: false, error: errorOf(err) };
      return;
    }
    const group = byCode.get(code) ?? [];
    group.push({ index, item: parsed.data });
    byCode.set(code, group);
  });

  // Rounds: the 1st item of every dossier, then the 2nd… so each dossier's items keep their order. In a round
  // the status events (of distinct dossiers) are written by one statement, the dossiers in parallel.
  const groups = [...byCode.entries()];
  let changedStatus = false;
  for (let k = 0; groups.some(([, g]) => g.length > k); k++) {
    const round = groups.flatMap(([code, g]) => (g.length > k ? [{ code, ...g[k]! }] : []));
    const statuses = round.flatMap((r) => (r.item.type === 'status' ? [{ ...r, item: r.item }] : []));
    const dossiers = round.flatMap((r) => (r.item.type === 'dossier' ? [{ ...r, item: r.item }] : []));
    const writeStatuses = async () => {
      const written = await recordExternalStatuses(
        app,
        actor,
        statuses.map(({ code, item: { type: _t, code: _c, ...event } }) => ({ ...event, code })),
        correlationId,
      ).catch((err: unknown) => statuses.map(() => ({ error: err })));
      written.forEach((r, i) => {
        const { index, code } = statuses[i]!;
        if ('error' in r) {
          logUnexpected(app, r.error, index, correlationId);
          results[index] = { index, code, ok: false, error: errorOf(r.error) };
        } else {
          changedStatus ||= r.outcome === 'applied';
          results[index] = { index, code, ok: true, outcome: r.outcome, status: r.status };
        }
      });
    };
    let next = 0;
    const putDossiers = async () => {
      while (next < dossiers.length) {
        const { index, code, item } = dossiers[next++]!;
        const { type: _t, code: _c, ...body } = item;
        try {
          const r = await putExternalDossier(app, actor, code, body, { calendar, connectedChecked: true });
          changedStatus ||= r.outcome === 'created';
          results[index] = { index, code, ok: true, outcome: r.outcome, status: r.status };
        } catch (err) {
          logUnexpected(app, err, index, correlationId);
          results[index] = { index, code, ok: false, error: errorOf(err) };
        }
      }
    };
    await Promise.all([
      writeStatuses(),
      ...Array.from({ length: Math.min(PARALLEL_DOSSIERS, dossiers.length) }, putDossiers),
    ]);
  }
  if (changedStatus) {
    wakeStatusChangePlanners(app);
  }
  return results;
}

function logUnexpected(app: AppContext, err: unknown, index: number, correlationId: string): void {
  if (!(err instanceof AppError) || err.status >= 500) {
    app.logger.error({ err, index, correlationId }, 'a sync item failed');
  }
}

function errorOf(err: unknown): { code: string; message: string } {
  return err instanceof AppError
    ? { code: err.code, message: err.message }
    : { code: 'internal_error', message: 'The item could not be recorded; send it again' };
}
