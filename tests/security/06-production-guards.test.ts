import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/main.ts';
import { DEMO_PASSWORD } from '../../src/contracts/password.ts';
import { buildOfficer } from '../../src/test-support/factories.ts';
import { deskFixture, type LiveServer, liveLogin, request, startLiveServer } from './support.ts';

/** `npm start` as an operator would run it; resolves with the exit code and what it printed. */
function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

const random = () => randomBytes(32).toString('base64');

/**
 * Item 6: production guards. Secrets of 32 identical characters (or one value for all three) let an admin
 * cookie be forged; the sandboxes could be switched on in production; the demo password could be set again and
 * the CLI took a one-character password.
 */
describe('attack: weak secrets, sandboxes and guessable passwords in production', () => {
  let t: LiveServer;
  let fixture: Awaited<ReturnType<typeof deskFixture>>;

  before(async () => {
    t = await startLiveServer();
    fixture = await deskFixture(t);
  });
  after(() => t.close());

  it('refuses to start with low-entropy or reused secrets, sandboxes or the sandbox keys', async () => {
    const weak = 'a'.repeat(32);
    const refused = await start({
      NODE_ENV: 'production',
      PORT: '0',
      SESSION_SECRET: weak,
      LOOKUP_LINK_SECRET: weak,
      ENCRYPTION_KEY: 'abcdabcdabcdabcdabcdabcdabcdabcdabcd',
      ZALO_SANDBOX: '1',
      SMS_SANDBOX: '1',
      MAIL_CATCHER: '1',
    });
    assert.equal(refused.code, 1, refused.output);
    for (const expected of [
      /SESSION_SECRET: too predictable/,
      /LOOKUP_LINK_SECRET: must differ from SESSION_SECRET/,
      /ENCRYPTION_KEY: too predictable/,
      /ZALO_SANDBOX/,
      /SMS_SANDBOX/,
      /MAIL_CATCHER/,
    ]) {
      assert.match(refused.output, expected);
    }
    const sandboxKeys = await start({
      NODE_ENV: 'production',
      PORT: '0',
      SESSION_SECRET: random(),
      LOOKUP_LINK_SECRET: random(),
      ENCRYPTION_KEY: random(),
      ZALO_APP_ID: '1234567890123456789',
      ZALO_APP_SECRET: 'sandbox-app-secret',
      ZALO_OA_ID: '4318510123456789012',
      ZALO_OA_SECRET_KEY: 'sandbox-oa-secret-key',
    });
    assert.equal(sandboxKeys.code, 1, sandboxKeys.output);
    assert.match(sandboxKeys.output, /the sandbox keys are public/);
  });

  it('mounts nothing under /sandbox/ in production', async () => {
    const production = await startLiveServer({
      NODE_ENV: 'production',
      DEMO_DATA: '0',
      SESSION_SECRET: random(),
      LOOKUP_LINK_SECRET: random(),
      ENCRYPTION_KEY: random(),
      ZALO_APP_ID: '1',
      ZALO_APP_SECRET: random(),
      ZALO_OA_ID: '2',
      ZALO_OA_SECRET_KEY: random(),
    });
    try {
      for (const path of [
        '/sandbox/api/sms?phone=0912345678',
        '/sandbox/mail',
        '/sandbox/phone',
        '/sandbox/zalo/oauth/v4/oa/permission',
      ]) {
        assert.equal((await request(production.port, path)).status, 404, path);
      }
    } finally {
      await production.close();
    }
  });

  it('refuses the demo password and common passwords in the API, for the account and an administrator', async () => {
    const officer = await buildOfficer(t.app, fixture.agency.id);
    const cookie = await liveLogin(t.port, officer.username, officer.password);
    for (const newPassword of [DEMO_PASSWORD, 'Matkhau@123', 'Motcua2026!', `${officer.username}-2026`]) {
      const res = await request(t.port, '/api/auth/password', {
        headers: { cookie },
        body: { currentPassword: officer.password, newPassword },
      });
      assert.equal(res.status, 400, `${newPassword}: ${res.body}`);
      assert.match(res.json<{ userMessage: string }>().userMessage, /dễ đoán|từ 8 đến 128/);
    }
    const admin = await liveLogin(t.port, fixture.admin.username, fixture.admin.password);
    const reset = await request(t.port, `/api/users/${officer.id}`, {
      method: 'PATCH',
      headers: { cookie: admin },
      body: { password: DEMO_PASSWORD },
    });
    assert.equal(reset.status, 400, reset.body);
    const created = await request(t.port, '/api/users', {
      headers: { cookie: admin },
      body: {
        username: 'nv.moi',
        fullName: 'Nhân Viên Mới',
        role: 'viewer',
        agencyId: fixture.agency.id,
        password: 'Password1',
      },
    });
    assert.equal(created.status, 400, created.body);
  });

  it('applies the same policy in the CLI', async () => {
    const officer = await buildOfficer(t.app, fixture.agency.id);
    const out: string[] = [];
    for (const password of ['1', DEMO_PASSWORD, 'qwerty123']) {
      await assert.rejects(
        runCli(
          t.app,
          ['user', 'reset-password', '--username', officer.username, '--password', password],
          (l) => out.push(l),
        ),
        /password/,
      );
    }
    assert.ok(await liveLogin(t.port, officer.username, officer.password), 'the password did not change');
  });
});
