/** What GET /api/admin/system-status answers (src/operations/system-status.ts). */
export interface ActiveAlert {
  key: string;
  level: 'warning' | 'error';
  title: string;
  message: string;
  todo: string;
  page: string;
  firstAt: string;
  lastAt: string;
  count: number;
  mailedAt: string | null;
  mailError: string | null;
}

export interface PastAlert {
  key: string;
  level: 'warning' | 'error';
  title: string;
  message: string;
  firstAt: string;
  resolvedAt: string;
  count: number;
  mailed: boolean;
}

export interface SystemStatus {
  generatedAt: string;
  connection: {
    oaId: string;
    sandbox: boolean;
    status: 'connected' | 'broken' | 'disconnected';
    accessExpiresAt: string | null;
    lastRefreshAt: string | null;
    refreshTokenExpiresAt: string | null;
    lastSuccessAt: string | null;
    lastError: string | null;
    lastErrorAt: string | null;
    quotaDaily: number | null;
    quotaRemaining: number | null;
  };
  queues: { lane: string; label: string; depth: number; oldestSeconds: number | null }[];
  sendsByHour: { hour: string; channel: string; sent: number; failed: number }[];
  failuresByHour: { hour: string; cause: string; n: number }[];
  webhooks: { lastReceivedAt: string | null; processingAvgMs: number | null; processingMaxMs: number | null };
  workers: {
    nodes: { hostname: string; pid: number; startedAt: string; lastSeenAt: string }[];
    lastSeenAt: string | null;
  };
  gateways: {
    channel: 'sms' | 'email';
    provider: string;
    lastSuccessAt: string | null;
    lastFailureAt: string | null;
    failuresInRow: number;
    lastError: string | null;
  }[];
  alerts: { active: ActiveAlert[]; history: PastAlert[] };
  recipients: { fromConfig: string[]; set: string[]; effective: string[] };
  thresholds: {
    queueMinutes: number;
    workerMinutes: number;
    gatewayFailures: number;
    reminderHours: number;
    refreshWarnDays: number;
  };
}

/** "3 phút", "2 giờ 5 phút", "—". */
export function duration(seconds: number | null): string {
  if (seconds === null) {
    return '—';
  }
  if (seconds < 60) {
    return `${Math.round(seconds)} giây`;
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} phút`;
  }
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} giờ ${minutes % 60} phút` : `${hours} giờ`;
}
