import type { Selectable } from 'kysely';
import { JOB_TASKS } from '../app-background.ts';
import { dispatchDueZalo, processZaloEvents, startZalo } from '../app-zalo.ts';
import type { NotificationTable } from '../db/schema.ts';
import { jobLane } from '../jobs/job-queue.ts';
import { drainOutboxLane } from '../jobs/lanes.ts';
import { planStatusChanges } from '../notifications/status-change-lane.ts';
import { recordReceipts } from '../zalo/receipts.ts';
import type { SandboxState } from '../zalo-sandbox/state.ts';
import { createTestApp, loginCookie, type TestApp } from './app.ts';
import {
  buildAgency,
  buildApiKey,
  buildOfficer,
  buildProcedure,
  intakeBody,
  receiveViaApi,
} from './factories.ts';
import { drainJobs } from './jobs.ts';

/**
 * A desk on the in-process Zalo sandbox over real HTTP: a listening test app with the OA connected, an agency
 * with its API key and a procedure, one pass of the worker, and intake by phone.
 */
export interface ZaloDesk {
  t: TestApp;
  key: Awaited<ReturnType<typeof buildApiKey>>;
  agencyId: number;
  procedureCode: string;
  sandbox(): SandboxState;
  /**
   * Plans the status changes, runs the due jobs, processes webhook events, sends the due Zalo messages, records
   * receipts.
   */
  work(): Promise<void>;
  intake(
    phone: string,
    o?: { notifyByZalo?: boolean; email?: string },
  ): Promise<{ id: number; code: string }>;
  /** The dossier's notifications, oldest first. */
  notifications(dossierId: number): Promise<Selectable<NotificationTable>[]>;
  /** Works the jobs until the dossier's notifications satisfy `done`. */
  settle(dossierId: number, done: (ns: Selectable<NotificationTable>[]) => boolean): Promise<void>;
  /** The session cookie of a new administrator of the desk's agency, signed in. */
  adminCookie(): Promise<string>;
  /** Runs `test` while the default status template is one the sandbox has not approved (Zalo -131). */
  withUnapprovedTemplate(test: () => Promise<void>): Promise<void>;
}

export async function createZaloDesk(
  opts: Parameters<typeof createTestApp>[0] & { procedureName?: string } = {},
): Promise<ZaloDesk> {
  const t = await createTestApp({ listen: true, ...opts });
  await startZalo(t.app, t.server.zaloSandbox);
  const agency = await buildAgency(t.app);
  const key = await buildApiKey(t.app, agency.id);
  const procedureCode = (
    await buildProcedure(t.app, [agency.id], opts.procedureName ? { name: opts.procedureName } : {})
  ).code;
  const notifications = (dossierId: number) =>
    t.app.db
      .selectFrom('notification')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .orderBy('id')
      .execute();
  // The worker nodes' own job lane, run in this process.
  const jobs = jobLane(JOB_TASKS);
  const work = async () => {
    while ((await planStatusChanges(t.app)) > 0) {}
    await drainOutboxLane(t.app, jobs);
    while ((await processZaloEvents(t.app)) > 0) {}
    await dispatchDueZalo(t.app);
    await recordReceipts(t.app);
  };
  return {
    t,
    key,
    agencyId: agency.id,
    procedureCode,
    sandbox: () => t.server.zaloSandbox!.state,
    work,
    notifications,
    async adminCookie() {
      const admin = await buildOfficer(t.app, agency.id, 'admin');
      return loginCookie(t.server, admin.username, admin.password);
    },
    async withUnapprovedTemplate(test) {
      const bind = (templateId: string) =>
        t.app.db
          .updateTable('zalo_template_binding')
          .set({ template_id: templateId })
          .where('key', '=', 'status')
          .execute();
      await bind('419003');
      try {
        await test();
      } finally {
        await bind('419001');
      }
    },
    settle: (dossierId, done) =>
      drainJobs(t.app, work, { until: async () => done(await notifications(dossierId)) }),
    intake: (phone, o = {}) =>
      receiveViaApi(
        t.server,
        key.authorization,
        intakeBody(procedureCode, {
          notifyByZalo: o.notifyByZalo ?? true,
          applicant: { ...intakeBody('x').applicant, phone, ...(o.email ? { email: o.email } : {}) },
        }),
      ),
  };
}
