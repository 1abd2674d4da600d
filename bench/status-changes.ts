import { sql } from 'kysely';
import type { AppContext } from '../src/app-context.ts';
import { type BenchResult, percentile } from './measure.ts';

/**
 * Status change → accepted by Zalo: `codes` (dossiers in status 2) are moved to processing at `perSecond`
 * through `transition` (the integration API of the web node, as an officer's desk would), while the worker
 * node plans and sends. Latency runs from the status change's own clock (taken
 * as the transition starts) to Zalo's acceptance; the planning and sending parts, and how long the load
 * generator's transition calls took, are in the detail. Only the run at the goal's rate is held to the goal.
 */
export async function measureStatusChanges(
  app: AppContext,
  transition: (code: string) => Promise<void>,
  codes: string[],
  perSecond: number,
  settled: () => Promise<void>,
  againstGoal: boolean,
): Promise<BenchResult[]> {
  const started = Date.now();
  const failures: string[] = [];
  const pending: Promise<void>[] = [];
  // When each transition call returned (after its commit).
  const returnedAt = new Map<string, number>();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(codes.length, Math.floor(((Date.now() - started) / 1000) * perSecond));
      while (next < due) {
        const code = codes[next++]!;
        pending.push(
          transition(code).then(
            () => {
              returnedAt.set(code, Date.now());
            },
            (err: Error) => {
              failures.push(err.message);
            },
          ),
        );
      }
      if (next >= codes.length) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  await Promise.all(pending);
  await settled();
  const lat = await sql<{ code: string; sent: Date; planned: Date; at: Date }>`
    select d.code, n.sent_at as sent, n.created_at as planned, j.at
    from notification n join dossier_journal j on j.id = n.journal_id join dossier d on d.id = n.dossier_id
    where j.action = 'start_processing' and n.sent_at is not null and d.code = any(${codes})`.execute(app.db);
  const t = (d: Date) => new Date(d).getTime();
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  const ms = sorted(lat.rows.map((r) => t(r.sent) - t(r.at)));
  const planned = sorted(lat.rows.map((r) => t(r.planned) - t(r.at)));
  const sending = sorted(lat.rows.map((r) => t(r.sent) - t(r.planned)));
  const calls = sorted(lat.rows.map((r) => (returnedAt.get(r.code) ?? t(r.at)) - t(r.at)));
  if (ms.length === 0) {
    throw new Error(
      `no status change reached Zalo (${failures.length} transitions failed: ${failures[0] ?? 'none'})`,
    );
  }
  const name = `status change → accepted by Zalo at ${perSecond}/s`;
  return [
    {
      name: `${name}: p50`,
      unit: 'ms',
      value: percentile(ms, 50),
      ...(againstGoal ? { goal: '≤ 100 ms', met: percentile(ms, 50) <= 100 } : {}),
      detail: {
        changes: ms.length,
        failedTransitions: failures.length,
        transitionSeconds: (Date.now() - started) / 1000,
        plannedP50: percentile(planned, 50),
        plannedP99: percentile(planned, 99),
        sendingP50: percentile(sending, 50),
        sendingP99: percentile(sending, 99),
        transitionCallP50: percentile(calls, 50),
        transitionCallP99: percentile(calls, 99),
      },
    },
    {
      name: `${name}: p99`,
      unit: 'ms',
      value: percentile(ms, 99),
      ...(againstGoal ? { goal: '≤ 1 000 ms', met: percentile(ms, 99) <= 1000 } : {}),
    },
  ];
}
