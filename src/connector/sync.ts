import type { AppContext } from '../app-context.ts';
import type { Actor } from '../auth/actor.ts';
import { loadCalendar } from '../calendar/repo.ts';
import { AppError } from '../errors.ts';
import { wakeStatusChangePlanners } from '../jobs/status-change-lane.ts';
import { currentCorrelationId } from '../operations/correlation.ts';
import { ZSyncItem } from './contracts.ts';
import { externalCode, putExternalDossier, requireConnectedAgency } from './external-dossier.ts';
import { recordExternalStatus } from './status-events.ts';

export interface SyncResult {
  index: number;
  code: string | null;
  ok: boolean;
  outcome?: string;
  status?: number;
  error?: { code: string; message: string };
}

/** Dossiers worked at once: the items of one dossier go one after the other, in the order sent. */
const PARALLEL_DOSSIERS = 8;

/**
 * POST /api/v1/sync: up to 1000 dossiers and status events, for catching up after downtime. Each item is its
 * own business action (its own transaction) and gets its own answer: a bad one does not stop the others.
 * Items of one dossier run in the order sent; different dossiers in parallel.
 */
export async function syncBatch(app: AppContext, actor: Actor, items: unknown[]): Promise<SyncResult[]> {
  await requireConnectedAgency(app.db, actor);
  const calendar = await loadCalendar(app.db);
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

  const groups = [...byCode.entries()];
  let next = 0;
  let changedStatus = false;
  const worker = async () => {
    while (next < groups.length) {
      const [code, group] = groups[next++]!;
      for (const { index, item } of group) {
        try {
          if (item.type === 'dossier') {
            const { type: _t, code: _c, ...body } = item;
            const r = await putExternalDossier(app, actor, code, body, { calendar, connectedChecked: true });
            changedStatus ||= r.outcome === 'created';
            results[index] = { index, code, ok: true, outcome: r.outcome, status: r.status };
          } else {
            const { type: _t, code: _c, ...event } = item;
            const r = await recordExternalStatus(app, actor, code, event, correlationId);
            changedStatus ||= r.outcome === 'applied';
            results[index] = { index, code, ok: true, outcome: r.outcome, status: r.status };
          }
        } catch (err) {
          if (!(err instanceof AppError)) {
            app.logger.error({ err, index, correlationId }, 'a sync item failed');
          }
          results[index] = { index, code, ok: false, error: errorOf(err) };
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_DOSSIERS, groups.length) }, worker));
  if (changedStatus) {
    wakeStatusChangePlanners(app);
  }
  return results;
}

function errorOf(err: unknown): { code: string; message: string } {
  return err instanceof AppError
    ? { code: err.code, message: err.message }
    : { code: 'internal_error', message: 'The item could not be recorded; send it again' };
}
