import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, DEMO_SECRETS, loadConfig } from './config.ts';

describe('config', () => {
  it('starts with sensible defaults and no variables at all', () => {
    const c = loadConfig({}, []);
    assert.equal(c.http.port, 3000);
    assert.equal(c.http.publicBaseUrl, 'http://localhost:3000');
    assert.equal(c.db.url, undefined);
    assert.equal(c.demoData, true);
    assert.equal(c.zalo.businessApiUrl, 'https://business.openapi.zalo.me');
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
    const secret = (s: string) => s.repeat(40);
    const ok = loadConfig(
      {
        NODE_ENV: 'production',
        SESSION_SECRET: secret('a'),
        LOOKUP_LINK_SECRET: secret('b'),
        ENCRYPTION_KEY: secret('c'),
      },
      [],
    );
    assert.equal(ok.demoData, false);
    assert.notEqual(ok.secrets.session, DEMO_SECRETS.sessionSecret);
  });

  it('reads the role from --role or APP_ROLE', () => {
    assert.equal(loadConfig({ APP_ROLE: 'worker' }, []).role, 'worker');
    assert.equal(loadConfig({ APP_ROLE: 'worker' }, ['node', 'main', '--role=web']).role, 'web');
    assert.throws(() => loadConfig({}, ['--role=cook']), ConfigError);
  });
});
