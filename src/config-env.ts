import { z } from 'zod';
import { parseTrustProxy } from './config-checks.ts';

/**
 * The environment variables of the product, each documented next to its schema (src/config.ts reads them
 * through this schema and nowhere else).
 */

/** Secrets used when nothing is configured, so `npm start` works out of the box. Refused in production. */
export const DEMO_SECRETS = {
  sessionSecret: 'demo-session-secret-change-me-0123456789abcdef',
  lookupLinkSecret: 'demo-lookup-link-secret-change-me-0123456789',
  encryptionKey: 'demo-encryption-key-change-me-0123456789abcdef',
} as const;

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const EnvSchema = z.object({
  /** development | test | production. Production refuses demo secrets, demo data and default passwords. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** HTTP port of the web role. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Which reverse proxies' X-Forwarded-For to believe, for the client address of rate limits, lockouts and
   * the audit: off (0, the default), the number of proxies in front of the app (1 for one nginx), or the
   * proxies' addresses and CIDR ranges, comma-separated. "true" (every hop) is refused: behind a proxy that
   * appends to the header, the client would choose its own address.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .default(false),
  /** A request (headers and body) must arrive whole within this many seconds (408 and the connection closed). */
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * Megabytes of request bodies being received at once by one node (as announced by Content-Length); past it,
   * requests with a body get 503 at once.
   */
  HTTP_MAX_PENDING_BODY_MB: z.coerce.number().int().min(1).max(100_000).default(64),
  /** The same, per client address. */
  HTTP_MAX_PENDING_BODY_MB_PER_IP: z.coerce.number().int().min(1).max(100_000).default(16),
  /** Serve the OpenAPI UI at /docs. Default: on, except in production (the API's map is not for everyone). */
  API_DOCS: bool.optional(),
  /** Interface to listen on. 127.0.0.1 by default so a demo is not exposed to the network. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Which roles this node runs: all (default), web, or worker. The `--role=` argument overrides it. */
  APP_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  /** PostgreSQL connection string. Unset: an embedded PostgreSQL is started with its data in DATA_DIR/pg. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /**
   * Maximum connections per node in the application pool. Small on purpose: on a 2-core server, 20 per node
   * made PostgreSQL spend its time switching between busy backends (status change → Zalo at 50/s: p50
   * 250–430 ms with 20–25, 62–117 ms with 8–10); requests wait for a connection in the node instead.
   */
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
  /**
   * Prepared statements per connection (faster). Turn off ("0") behind a pooler that cannot keep them, such as
   * PgBouncer in transaction mode before 1.21.
   */
  DB_PREPARED_STATEMENTS: bool.optional(),
  /** Where the embedded PostgreSQL and other local state live. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** Public origin used in receipt QR codes and links (no trailing slash). Default: http://localhost:PORT. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Secret for signing officer session cookies (at least 32 characters). */
  SESSION_SECRET: z.string().min(32).default(DEMO_SECRETS.sessionSecret),
  /** Session lifetime in hours. */
  SESSION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  /** Send the session cookie with the Secure flag. Default: on when PUBLIC_BASE_URL is https. */
  COOKIE_SECURE: bool.optional(),
  /** Secret for the HMAC signature on public look-up links (receipt QR). */
  LOOKUP_LINK_SECRET: z.string().min(32).default(DEMO_SECRETS.lookupLinkSecret),
  /** Key for encrypting provider tokens at rest (at least 32 characters). */
  ENCRYPTION_KEY: z.string().min(32).default(DEMO_SECRETS.encryptionKey),
  /** Load the demo province, procedures, accounts and API key once. Default: on, except in production. */
  DEMO_DATA: bool.optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Jobs (src/jobs/job-queue.ts: fallback SMS / e-mail, delivery checks) run at once by a worker node. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
  /**
   * Niceness a worker-only node (`--role=worker`) gives itself. Where it shares a host with a web node, the
   * web node's answers to people and to Zalo's webhooks come first; sends and jobs can wait a few ms.
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * A worker node whose heartbeat is silent for this long is dead: its worker_node row goes (the status page,
   * "no worker seen"). Its work needs no such sweep: its claims' leases end by themselves.
   */
  WORKER_DEAD_AFTER_SECONDS: z.coerce.number().int().min(2).max(3600).default(30),
  /** How long an external system's callback URL has to answer (src/connector/callback-lane.ts). */
  CALLBACK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Whether callback URLs may point at loopback, private, link-local (cloud metadata), CGNAT and other
   * non-public addresses. Off by default in production (an API key must not make the server call its own
   * network); on elsewhere, where receivers are local (tests, the demo). docs/security.md.
   */
  CALLBACK_ALLOW_PRIVATE_NETWORKS: bool.optional(),
  /** Failed logins allowed per account and address within LOGIN_WINDOW_MINUTES. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /**
   * Failed logins allowed per client address within LOGIN_WINDOW_MINUTES, whatever the username: past it an
   * address's attempts are refused before any password is hashed or any audit row written.
   */
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Login requests (right or wrong) one node takes from one client address per minute, counted in memory. */
  LOGIN_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Public look-ups (/tra-cuu, /api/public/lookup) allowed per client address per minute, on each node. */
  LOOKUP_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** Wrong second factors (last 4 digits of phone or ID number) allowed per dossier per hour. */
  LOOKUP_MAX_SECOND_FACTOR_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** Wrong second factors allowed from one client address per hour, whatever the dossier. */
  LOOKUP_MAX_SECOND_FACTOR_FAILURES_PER_IP: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Look-ups the Zalo bot answers per Zalo user per minute. */
  BOT_LOOKUPS_PER_MINUTE_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
  /** Look-ups the Zalo bot answers per second for everyone together (a flood must not starve the desk). */
  BOT_LOOKUPS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(100),
  /** Zalo sends per second across all nodes (a shared token bucket; Zalo allows about 66/s per app). */
  ZALO_SEND_RATE: z.coerce.number().min(0.1).max(10_000).default(50),
  /** Burst size of that bucket. */
  ZALO_SEND_BURST: z.coerce.number().int().min(1).max(100_000).default(100),
  ZALO_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  /** Days a processed webhook event (citizens' messages included) is kept before the hourly clean-up. */
  ZALO_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** A refresh token from Zalo's API Explorer, to connect the OA without the OAuth round trip (first start only). */
  ZALO_REFRESH_TOKEN: z.string().min(1).optional(),
  /** Zalo hosts; the defaults are the real platform. */
  ZALO_OAUTH_URL: z.url().default('https://oauth.zaloapp.com'),
  ZALO_OPENAPI_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_BUSINESS_API_URL: z.url().default('https://business.openapi.zalo.me'),
  /**
   * The built-in Zalo sandbox. Default: on when no Zalo credentials are set (never in production unless set
   * to 1); 0 turns it off.
   */
  ZALO_SANDBOX: bool.optional(),
  /** Zalo app and OA credentials. With none of them set the built-in sandbox is used. */
  ZALO_APP_ID: z.string().min(1).optional(),
  ZALO_APP_SECRET: z.string().min(1).optional(),
  ZALO_OA_ID: z.string().min(1).optional(),
  ZALO_OA_SECRET_KEY: z.string().min(1).optional(),
  /** Brandname SMS gateway: JSON POST endpoint. Unset: the built-in SMS sandbox (not in production). */
  SMS_GATEWAY_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Gateway credentials: user and password (HTTP Basic), or a token (Bearer). */
  SMS_GATEWAY_USER: z.string().min(1).optional(),
  SMS_GATEWAY_PASSWORD: z.string().min(1).optional(),
  SMS_GATEWAY_TOKEN: z.string().min(1).optional(),
  /** The registered brandname the SMS are sent from (at most 11 characters, as carriers register them). */
  SMS_BRANDNAME: z
    .string()
    .regex(/^[A-Za-z0-9 ._-]{1,11}$/, 'a registered brandname: 1–11 letters, digits, space . _ -')
    .optional(),
  /** The built-in SMS sandbox. Default: on without a gateway (never in production unless set to 1). */
  SMS_SANDBOX: bool.optional(),
  /**
   * Secret the gateway sends with its delivery reports (`POST /webhooks/sms`, Bearer or `?token=`). Unset: the
   * endpoint is off and SMS stay "sent".
   */
  SMS_DLR_TOKEN: z.string().min(16).optional(),
  /** SMTP server for email notifications, e.g. smtps://user:pass@mail.example.gov.vn:465. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** Sender of the email notifications. */
  MAIL_FROM: z.string().min(3).max(200).optional(),
  /** The built-in mail catcher. Default: on without SMTP_URL (never in production unless set to 1). */
  MAIL_CATCHER: bool.optional(),
  /**
   * Who is e-mailed about alerts, besides the addresses administrators set on page "Tình trạng hệ thống"
   * (comma-separated). With neither, the e-mail addresses of the agencies that have an administrator.
   */
  ALERT_EMAILS: z
    .string()
    .transform((v) => v.split(/[,;\s]+/).filter(Boolean))
    .pipe(z.array(z.email()).max(50))
    .optional(),
  /** Hours between reminders of an alert that lasts (0: no reminders). */
  ALERT_REMINDER_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 7)
    .default(4),
  /** A send queue whose oldest item has waited longer than this many minutes raises an alert. */
  ALERT_QUEUE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  /** No worker node seen for this many minutes raises an alert. */
  ALERT_WORKER_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(5),
  /** The SMS or e-mail gateway failing this many times in a row raises an alert. */
  ALERT_GATEWAY_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Warn this many days before the Zalo refresh token (3 months) can expire. */
  ZALO_REFRESH_WARN_DAYS: z.coerce.number().int().min(1).max(80).default(14),
  /** How often the alerts are evaluated and administrators e-mailed, across the nodes (src/app-background.ts). */
  HEALTH_CHECK_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** Prometheus metrics on the web port at /metrics, for a scraper sending `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Prometheus metrics on a port of their own (every role, worker-only nodes too), without a token. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Interface of METRICS_PORT: loopback by default, as the metrics are not for the public. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * End of the desks' office hours (HH:MM, Vietnam time). An online dossier filed at or after it counts as
   * received on the next working day; receipts give results "by" this time of the appointment day.
   */
  OFFICE_CLOSES_AT: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .default('17:00'),
});

export type Env = z.input<typeof EnvSchema>;

/** The parsed environment. */
export type ParsedEnv = z.infer<typeof EnvSchema>;
