import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { replay } from '../../examples/connector/replay.ts';
import { createZaloDesk, type ZaloDesk } from '../test-support/zalo-desk.ts';
import { sendDueCallbacks } from './callback-lane.ts';

/** The example connector of docs/integration-api.md, run against a real server: it must work as documented. */
describe('example connector (examples/connector/replay.ts)', () => {
  let desk: ZaloDesk;
  let dir: string;

  before(async () => {
    desk = await createZaloDesk({ realTime: true });
    await desk.t.app.db
      .updateTable('agency')
      .set({ desk_mode: 'connected' })
      .where('id', '=', desk.agencyId)
      .execute();
    dir = await mkdtemp(path.join(tmpdir(), 'motcua-replay-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await desk.t.close();
  });

  it('replays the sample CSV and verifies the signed callbacks', async () => {
    const sample = await readFile(new URL('../../examples/connector/sample.csv', import.meta.url), 'utf8');
    const csv = path.join(dir, 'dossiers.csv');
    await writeFile(csv, sample.replaceAll('1.004873', desk.procedureCode));
    let running = true;
    const worker = (async () => {
      while (running) {
        await desk.work();
        while ((await sendDueCallbacks(desk.t.app)) > 0) {}
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const lines: string[] = [];
    const report = await replay({
      base: `http://127.0.0.1:${desk.t.app.config.http.port}`,
      key: desk.key.key,
      csv,
      listen: 0,
      host: '127.0.0.1',
      waitSeconds: 20,
      expectCallbacks: 4,
      log: (line) => lines.push(line),
    }).finally(() => {
      running = false;
    });
    await worker;
    assert.deepEqual(
      report.results.map((r) => r.outcome),
      ['created', 'created', 'applied', 'applied', 'applied', 'journaled_late', 'duplicate'],
    );
    assert.ok(report.callbacks.length >= 4, lines.join('\n'));
    assert.ok(report.callbacks.every((c) => c.verified));
    assert.deepEqual([...new Set(report.callbacks.map((c) => c.type))].sort(), [
      'notification.delivered',
      'notification.sent',
    ]);
    assert.ok(!lines.some((l) => l.includes('REFUSED')));
  });
});
