import { z } from 'zod';
import { isWeakSecret, type TrustProxy } from './config-checks.ts';
import { DEMO_SECRETS, EnvSchema, type ParsedEnv } from './config-env.ts';

/**
 * The one typed configuration of the product. `process.env` is read here and nowhere else.
 * Every variable is documented next to its schema; `loadConfig()` validates all of them at start and
 * stops with a message that names each bad variable.
 */

export { DEMO_SECRETS, type Env } from './config-env.ts';

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
  logLevel: ParsedEnv['LOG_LEVEL'];
  worker: { concurrency: number; deadAfterSeconds: number; nice: number };
  callbacks: {
    timeoutMs: number;
    /** Callback URLs may reach non-public addresses (src/connector/callback-destination.ts). */
    allowPrivateNetworks: boolean;
  };
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
    callbacks: {
      timeoutMs: e.CALLBACK_TIMEOUT_MS,
      allowPrivateNetworks: e.CALLBACK_ALLOW_PRIVATE_NETWORKS ?? !isProduction,
    },
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

function zaloConfig(e: ParsedEnv, isProduction: boolean): Config['zalo'] {
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

function smsConfig(e: ParsedEnv, isProduction: boolean): Config['sms'] {
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

function gatewayProblems(e: ParsedEnv): string[] {
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
