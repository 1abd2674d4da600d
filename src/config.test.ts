import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError, DEMO_SECRETS, loadConfig } from './config.ts';

const RANDOM_SECRETS = {
  SESSION_SECRET: randomBytes(32).toString('base64'),
  LOOKUP_LINK_SECRET: randomBytes(32).toString('base64'),
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

describe('config', () => {
  it('starts with sensible defaults and no variables at all', () => {
    const c = loadConfig({}, []);
    assert.equal(c.http.port, 3000);
    assert.equal(c.http.publicBaseUrl, 'http://localhost:3000');
    assert.equal(c.db.url, undefined);
    assert.equal(c.demoData, true);
    assert.equal(c.zalo.sandbox, true, 'no Zalo credentials: the built-in sandbox');
    assert.equal(c.zalo.businessApiUrl, 'http://127.0.0.1:3000/sandbox/zalo/business');
  });

  it('talks to the real Zalo hosts once credentials are set, and never to the sandbox in production by default', () => {
    const withCredentials = loadConfig(
      { ZALO_APP_ID: '1', ZALO_APP_SECRET: 's', ZALO_OA_ID: '2', ZALO_OA_SECRET_KEY: 'k' },
      [],
    );
    assert.equal(withCredentials.zalo.sandbox, false);
    assert.equal(withCredentials.zalo.businessApiUrl, 'https://business.openapi.zalo.me');
    assert.equal(withCredentials.zalo.oauthUrl, 'https://oauth.zaloapp.com');
    const production = {
      NODE_ENV: 'production',
      ...RANDOM_SECRETS,
    };
    assert.equal(loadConfig(production, []).zalo.sandbox, false);
    assert.throws(() => loadConfig({ ...production, ZALO_SANDBOX: '1' }, []), /ZALO_SANDBOX/);
    assert.equal(loadConfig({ ZALO_SANDBOX: '0' }, []).zalo.sandbox, false);
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', SESSION_SECRET: 'short' }, []);
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.problems.join('\n');
      assert.match(text, /PORT/);
      assert.match(text, /DATABASE_URL/);
      assert.match(text, /SESSION_SECRET/);
    }
  });

  it('refuses demo secrets and demo data in production', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', DEMO_DATA: '1' }, []),
      (err: ConfigError) => {
        const text = err.problems.join('\n');
        return (
          /SESSION_SECRET/.test(text) &&
          /LOOKUP_LINK_SECRET/.test(text) &&
          /ENCRYPTION_KEY/.test(text) &&
          /DEMO_DATA/.test(text)
        );
      },
    );
    const ok = loadConfig({ NODE_ENV: 'production', ...RANDOM_SECRETS }, []);
    assert.equal(ok.demoData, false);
    // Callbacks may not reach internal addresses in production unless the operator says so (docs/security.md).
    assert.equal(ok.callbacks.allowPrivateNetworks, false);
    assert.equal(loadConfig({ NODE_ENV: 'test' }, []).callbacks.allowPrivateNetworks, true);
    assert.notEqual(ok.secrets.session, DEMO_SECRETS.sessionSecret);
  });

  it('reads the role from --role or APP_ROLE', () => {
    assert.equal(loadConfig({ APP_ROLE: 'worker' }, []).role, 'worker');
    assert.equal(loadConfig({ APP_ROLE: 'worker' }, ['node', 'main', '--role=web']).role, 'web');
    assert.throws(() => loadConfig({}, ['--role=cook']), ConfigError);
  });
});
