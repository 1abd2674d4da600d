import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { mountZaloSandbox } from './plugin.ts';

/**
 * `npm run zalo-sandbox -- --port 4010 [--webhook-url http://localhost:3000/webhooks/zalo]`: the sandbox as its
 * own process, so several app nodes (or a crash test) share one emulated Zalo. Point the product at it with
 * ZALO_OAUTH_URL=http://localhost:4010/oauth, ZALO_OPENAPI_URL=…/openapi, ZALO_BUSINESS_API_URL=…/business.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'webhook-url': { type: 'string' },
    'app-id': { type: 'string' },
    'app-secret': { type: 'string' },
    'oa-id': { type: 'string' },
    'oa-secret-key': { type: 'string' },
    'token-ttl': { type: 'string' },
    'receipt-delay': { type: 'string' },
    'time-scale': { type: 'string' },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const options = Object.fromEntries(
  Object.entries({
    webhookUrl: values['webhook-url'],
    appId: values['app-id'],
    appSecret: values['app-secret'],
    oaId: values['oa-id'],
    oaSecretKey: values['oa-secret-key'],
    accessTokenTtlSeconds: num(values['token-ttl']),
    receiptDelayMs: num(values['receipt-delay']),
    timeScale: num(values['time-scale']),
  }).filter(([, v]) => v !== undefined),
);
const app = Fastify({ logger: { level: 'warn' } });
const sandbox = await mountZaloSandbox(app, { prefix: '', options });
await app.listen({ port: Number(values.port), host: values.host });
const origin = `http://${values.host}:${(app.server.address() as { port: number }).port}`;
const urls = sandbox.urls(origin);
process.stdout.write(
  `Zalo sandbox on ${origin}\n` +
    `  ZALO_OAUTH_URL=${urls.oauthUrl}\n  ZALO_OPENAPI_URL=${urls.openApiUrl}\n  ZALO_BUSINESS_API_URL=${urls.businessApiUrl}\n` +
    `  ZALO_APP_ID=${sandbox.state.options.appId} ZALO_OA_ID=${sandbox.state.options.oaId}\n` +
    `  phone simulator: ${origin}/sandbox/phone   admin: ${origin}/sandbox/admin\n`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void app.close().then(() => process.exit(0)));
}
