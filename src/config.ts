import { z } from 'zod';
import { isWeakSecret, parseTrustProxy, type TrustProxy } from './config-checks.ts';

/**
 * The one typed configuration of the product. `process.env` is read here and nowhere else.
 * Every variable is documented next to its schema; `loadConfig()` validates all of them at start and
 * stops with a message that names each bad variable.
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

const EnvSchema = z.object({
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
  /** How often the alerts are evaluated and administrators e-mailed, across the nodes (src/jobs/schedule.ts). */
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

export interface Config {
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  role: 'all' | 'web' | 'worker';
  http: {
    port: number;
    host: string;
    publicBaseUrl: string;
    cookieSecure: boolean;
    /** Off, a number of proxy hops, or the proxies' addresses/CIDRs (Fastify's trustProxy). */
    trustProxy: TrustProxy;
    requestTimeoutSeconds: number;
    /** Whether /docs (the OpenAPI UI) is served. */
    apiDocs: boolean;
    maxPendingBodyMb: number;
    maxPendingBodyMbPerIp: number;
  };
  db: { url: string | undefined; poolMax: number; preparedStatements: boolean; dataDir: string };
  secrets: { session: string; lookupLink: string; encryptionKey: string };
  session: { hours: number };
  login: { maxFailures: number; maxFailuresPerIp: number; perMinutePerIp: number; windowMinutes: number };
  lookup: {
    perMinutePerIp: number;
    maxSecondFactorFailures: number;
    maxSecondFactorFailuresPerIp: number;
    botPerMinutePerUser: number;
    botPerSecond: number;
  };
  demoData: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  worker: { concurrency: number; deadAfterSeconds: number; nice: number };
  callbacks: { timeoutMs: number };
  zalo: {
    /** True when the product talks to its own in-process sandbox (mounted at SANDBOX_PREFIX). */
    sandbox: boolean;
    sendRatePerSecond: number;
    sendBurst: number;
    /** Calls to Zalo's send APIs in flight at once, per worker node. */
    sendConcurrency: number;
    bootstrapRefreshToken: string | undefined;
    eventRetentionDays: number;
    oauthUrl: string;
    openApiUrl: string;
    businessApiUrl: string;
    appId: string | undefined;
    appSecret: string | undefined;
    oaId: string | undefined;
    oaSecretKey: string | undefined;
  };
  sms: {
    /** http: the brandname gateway; sandbox: the built-in SMS sandbox; none: SMS fallback unavailable. */
    provider: 'http' | 'sandbox' | 'none';
    gatewayUrl: string | undefined;
    user: string | undefined;
    password: string | undefined;
    token: string | undefined;
    brandname: string;
    /** The shared secret of the gateway's delivery reports; undefined: reports are not accepted. */
    deliveryReportToken: string | undefined;
  };
  /** The desks' office hours: when they close (HH:MM). */
  desk: { closesAt: string };
  mail: {
    /** smtp: SMTP_URL; catcher: the built-in smtp-server catcher; none: email fallback unavailable. */
    transport: 'smtp' | 'catcher' | 'none';
    smtpUrl: string | undefined;
    from: string;
  };
  /** Alerts that reach people (docs/operations.md). */
  alerts: {
    emails: string[];
    reminderHours: number;
    queueMinutes: number;
    workerMinutes: number;
    gatewayFailures: number;
    refreshWarnDays: number;
    checkSeconds: number;
  };
  /** Prometheus metrics: off unless a token (web port) or a port of their own is set. */
  metrics: { token: string | undefined; port: number | undefined; host: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses and checks the environment. Throws ConfigError naming every bad variable. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  argv = process.argv,
): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const roleArg = argv.find((a) => a.startsWith('--role='))?.slice('--role='.length);
  const role = roleArg === undefined ? e.APP_ROLE : z.enum(['all', 'web', 'worker']).safeParse(roleArg).data;
  if (role === undefined) {
    throw new ConfigError([`--role: expected all, web or worker, got "${roleArg}"`]);
  }
  const isProduction = e.NODE_ENV === 'production';
  const publicBaseUrl = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const config: Config = {
    env: e.NODE_ENV,
    isProduction,
    role,
    http: {
      port: e.PORT,
      host: e.HOST,
      publicBaseUrl,
      cookieSecure: e.COOKIE_SECURE ?? publicBaseUrl.startsWith('https:'),
      trustProxy: e.TRUST_PROXY,
      requestTimeoutSeconds: e.HTTP_REQUEST_TIMEOUT_SECONDS,
      apiDocs: e.API_DOCS ?? !isProduction,
      maxPendingBodyMb: e.HTTP_MAX_PENDING_BODY_MB,
      maxPendingBodyMbPerIp: e.HTTP_MAX_PENDING_BODY_MB_PER_IP,
    },
    db: {
      url: e.DATABASE_URL,
      poolMax: e.DB_POOL_MAX,
      preparedStatements: e.DB_PREPARED_STATEMENTS ?? true,
      dataDir: e.DATA_DIR,
    },
    secrets: { session: e.SESSION_SECRET, lookupLink: e.LOOKUP_LINK_SECRET, encryptionKey: e.ENCRYPTION_KEY },
    session: { hours: e.SESSION_HOURS },
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      perMinutePerIp: e.LOGIN_PER_MINUTE_PER_IP,
      windowMinutes: e.LOGIN_WINDOW_MINUTES,
    },
    lookup: {
      perMinutePerIp: e.LOOKUP_PER_MINUTE_PER_IP,
      maxSecondFactorFailures: e.LOOKUP_MAX_SECOND_FACTOR_FAILURES,
      maxSecondFactorFailuresPerIp: e.LOOKUP_MAX_SECOND_FACTOR_FAILURES_PER_IP,
      botPerMinutePerUser: e.BOT_LOOKUPS_PER_MINUTE_PER_USER,
      botPerSecond: e.BOT_LOOKUPS_PER_SECOND,
    },
    demoData: e.DEMO_DATA ?? !isProduction,
    logLevel: e.LOG_LEVEL,
    worker: {
      concurrency: e.WORKER_CONCURRENCY,
      deadAfterSeconds: e.WORKER_DEAD_AFTER_SECONDS,
      nice: e.WORKER_NICE,
    },
    callbacks: { timeoutMs: e.CALLBACK_TIMEOUT_MS },
    zalo: zaloConfig(e, isProduction),
    sms: smsConfig(e, isProduction),
    desk: { closesAt: e.OFFICE_CLOSES_AT },
    mail: {
      transport: e.SMTP_URL ? 'smtp' : (e.MAIL_CATCHER ?? !isProduction) ? 'catcher' : 'none',
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM ?? 'Bộ phận Một cửa <khong-tra-loi@motcua.local>',
    },
    alerts: {
      emails: e.ALERT_EMAILS ?? [],
      reminderHours: e.ALERT_REMINDER_HOURS,
      queueMinutes: e.ALERT_QUEUE_MINUTES,
      workerMinutes: e.ALERT_WORKER_MINUTES,
      gatewayFailures: e.ALERT_GATEWAY_FAILURES,
      refreshWarnDays: e.ZALO_REFRESH_WARN_DAYS,
      checkSeconds: e.HEALTH_CHECK_SECONDS,
    },
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT, host: e.METRICS_HOST },
  };
  const problems = [...gatewayProblems(e), ...(isProduction ? productionProblems(config) : [])];
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return config;
}

/** Where the in-process sandbox is mounted; its three hosts sit below it. */
export const SANDBOX_PREFIX = '/sandbox/zalo';

/** The sandbox's own app and OA credentials (not secrets: they only open the emulator). */
export const SANDBOX_CREDENTIALS = {
  appId: '1234567890123456789',
  appSecret: 'sandbox-app-secret',
  oaId: '4318510123456789012',
  oaSecretKey: 'sandbox-oa-secret-key',
} as const;

export type ZaloCredentials = { appId: string; appSecret: string; oaId: string; oaSecretKey: string };

/**
 * The variables that point the product at a standalone sandbox (`npm run zalo-sandbox`) at `origin`. A
 * production-mode node needs `credentials` of its own: the sandbox's published keys are refused there.
 */
export function standaloneSandboxEnv(
  origin: string,
  credentials: ZaloCredentials = SANDBOX_CREDENTIALS,
): Record<string, string> {
  return {
    ZALO_SANDBOX: '0',
    ZALO_OAUTH_URL: `${origin}/oauth`,
    ZALO_OPENAPI_URL: `${origin}/openapi`,
    ZALO_BUSINESS_API_URL: `${origin}/business`,
    ZALO_APP_ID: credentials.appId,
    ZALO_APP_SECRET: credentials.appSecret,
    ZALO_OA_ID: credentials.oaId,
    ZALO_OA_SECRET_KEY: credentials.oaSecretKey,
  };
}

function zaloConfig(e: z.infer<typeof EnvSchema>, isProduction: boolean): Config['zalo'] {
  const credentials = [e.ZALO_APP_ID, e.ZALO_APP_SECRET, e.ZALO_OA_ID, e.ZALO_OA_SECRET_KEY];
  const sandbox = e.ZALO_SANDBOX ?? (!isProduction && credentials.every((c) => c === undefined));
  const common = {
    sendRatePerSecond: e.ZALO_SEND_RATE,
    sendBurst: e.ZALO_SEND_BURST,
    sendConcurrency: e.ZALO_SEND_CONCURRENCY,
    bootstrapRefreshToken: e.ZALO_REFRESH_TOKEN,
    eventRetentionDays: e.ZALO_EVENT_RETENTION_DAYS,
  };
  if (sandbox) {
    // The product calls its own sandbox over loopback, whatever PUBLIC_BASE_URL says.
    const origin = `http://127.0.0.1:${e.PORT}${SANDBOX_PREFIX}`;
    return {
      sandbox: true,
      ...common,
      oauthUrl: `${origin}/oauth`,
      openApiUrl: `${origin}/openapi`,
      businessApiUrl: `${origin}/business`,
      ...SANDBOX_CREDENTIALS,
      oaSecretKey: SANDBOX_CREDENTIALS.oaSecretKey,
    };
  }
  return {
    sandbox: false,
    ...common,
    oauthUrl: e.ZALO_OAUTH_URL.replace(/\/+$/, ''),
    openApiUrl: e.ZALO_OPENAPI_URL.replace(/\/+$/, ''),
    businessApiUrl: e.ZALO_BUSINESS_API_URL.replace(/\/+$/, ''),
    appId: e.ZALO_APP_ID,
    appSecret: e.ZALO_APP_SECRET,
    oaId: e.ZALO_OA_ID,
    oaSecretKey: e.ZALO_OA_SECRET_KEY,
  };
}

function smsConfig(e: z.infer<typeof EnvSchema>, isProduction: boolean): Config['sms'] {
  const sandbox = e.SMS_SANDBOX ?? (!isProduction && !e.SMS_GATEWAY_URL);
  return {
    provider: sandbox ? 'sandbox' : e.SMS_GATEWAY_URL ? 'http' : 'none',
    gatewayUrl: e.SMS_GATEWAY_URL,
    user: e.SMS_GATEWAY_USER,
    password: e.SMS_GATEWAY_PASSWORD,
    token: e.SMS_GATEWAY_TOKEN,
    brandname: e.SMS_BRANDNAME ?? 'MOTCUA',
    deliveryReportToken: e.SMS_DLR_TOKEN,
  };
}

function gatewayProblems(e: z.infer<typeof EnvSchema>): string[] {
  if (!e.SMS_GATEWAY_URL || e.SMS_GATEWAY_TOKEN || (e.SMS_GATEWAY_USER && e.SMS_GATEWAY_PASSWORD)) {
    return [];
  }
  return ['SMS_GATEWAY_URL: needs SMS_GATEWAY_TOKEN, or SMS_GATEWAY_USER and SMS_GATEWAY_PASSWORD'];
}

function productionProblems(config: Config): string[] {
  const problems: string[] = [];
  const demo: [keyof Config['secrets'], string, string][] = [
    ['session', 'SESSION_SECRET', DEMO_SECRETS.sessionSecret],
    ['lookupLink', 'LOOKUP_LINK_SECRET', DEMO_SECRETS.lookupLinkSecret],
    ['encryptionKey', 'ENCRYPTION_KEY', DEMO_SECRETS.encryptionKey],
  ];
  for (const [key, name, value] of demo) {
    if (config.secrets[key] === value) {
      problems.push(`${name}: the demo value cannot be used in production; set a random secret`);
    }
  }
  if (config.demoData) {
    problems.push('DEMO_DATA: demo data cannot be loaded in production');
  }
  for (const [key, name, demoValue] of demo) {
    if (config.secrets[key] !== demoValue && isWeakSecret(config.secrets[key])) {
      problems.push(
        `${name}: too predictable for production (repeated characters or patterns); use 32 random bytes, e.g. openssl rand -base64 32`,
      );
    }
  }
  const secrets = [
    ['SESSION_SECRET', config.secrets.session],
    ['LOOKUP_LINK_SECRET', config.secrets.lookupLink],
    ['ENCRYPTION_KEY', config.secrets.encryptionKey],
    ['SMS_DLR_TOKEN', config.sms.deliveryReportToken],
  ] as const;
  for (const [i, [name, value]] of secrets.entries()) {
    const same = secrets.slice(0, i).find(([, other]) => value !== undefined && other === value);
    if (same) {
      problems.push(`${name}: must differ from ${same[0]}; each secret protects something else`);
    }
  }
  // Development conveniences that expose citizens' messages or accept well-known keys.
  if (config.zalo.sandbox) {
    problems.push(
      'ZALO_SANDBOX: the built-in Zalo sandbox cannot run in production; set the Zalo credentials',
    );
  }
  if (config.sms.provider === 'sandbox') {
    problems.push(
      'SMS_SANDBOX: the built-in SMS sandbox cannot run in production; set SMS_GATEWAY_URL or leave SMS off',
    );
  }
  if (config.mail.transport === 'catcher') {
    problems.push(
      'MAIL_CATCHER: the built-in mail catcher cannot run in production; set SMTP_URL or leave email off',
    );
  }
  if (
    config.zalo.appSecret === SANDBOX_CREDENTIALS.appSecret ||
    config.zalo.oaSecretKey === SANDBOX_CREDENTIALS.oaSecretKey
  ) {
    problems.push(
      'ZALO_APP_SECRET, ZALO_OA_SECRET_KEY: the sandbox keys are public and never accepted in production',
    );
  }

  return problems;
}

/** For entry points: the configuration, or a message naming each bad variable and exit code 1. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
