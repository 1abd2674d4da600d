import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { startEmbeddedPostgres } from './embedded.ts';
import { alive, stopPostmaster } from './postmaster.ts';
import { withClient } from './server.ts';

test('the product’s embedded PostgreSQL is spared the terminal’s Ctrl-C; the next start adopts and stops it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'motcua-embedded-'));
  // The server runs as the postgres user when we are root: it must be able to enter the folder.
  await chmod(dir, 0o755);
  const pidFile = path.join(dir, 'pg', 'postmaster.pid');
  const postmasterPid = async () => Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  try {
    // Like `npm start` in a terminal: a process group of its own, which Ctrl-C signals as a whole.
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { startEmbeddedPostgres } = await import(${JSON.stringify(new URL('./embedded.ts', import.meta.url).href)});
         const server = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)} });
         process.stdout.write(server.adminUrl + '\\n');
         setInterval(() => {}, 60_000);`,
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    const adminUrl = await firstLine(createInterface({ input: holder.stdout }));
    process.kill(-(holder.pid as number), 'SIGINT');
    await exited;

    // Only the holder stopped: the server still answers.
    const answer = await withClient(adminUrl, (c) => c.query<{ one: number }>('select 1 as one'));
    assert.equal(answer.rows[0]?.one, 1);
    assert.ok(existsSync(path.join(dir, 'postgres.log')), 'the server logs to DATA_DIR/postgres.log');

    const pid = await postmasterPid();
    const adopted = await startEmbeddedPostgres({ dataDir: dir, stopAdopted: true });
    assert.equal(adopted.adminUrl, adminUrl);
    await adopted.stop();
    assert.equal(alive(pid), false, 'stop() returns once the server has exited');
  } finally {
    if (existsSync(pidFile)) {
      await stopPostmaster(await postmasterPid()).catch(() => undefined);
    }
    await rm(dir, { recursive: true, force: true });
  }
});

async function firstLine(lines: AsyncIterable<string>): Promise<string> {
  for await (const line of lines) {
    return line;
  }
  throw new Error('the process ended before printing its server’s URL');
}
