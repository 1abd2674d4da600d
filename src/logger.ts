import { pino } from 'pino';

/**
 * The one structured logger. Citizens' data (phones, ID numbers, names) and secrets are redacted;
 * never log whole job payloads or webhook bodies.
 */
export type Logger = pino.Logger;

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.phone',
  '*.idNumber',
  '*.apiKey',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
];

export function createLogger(level: pino.LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
