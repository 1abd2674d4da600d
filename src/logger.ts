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

/**
 * Query parameters whose values are kept in access logs. Every other value is replaced: the receipt link's
 * `sig` is an applicant-level credential, the SMS gateway's `token` a secret, an officer's `q` may be a phone
 * or ID number — and a parameter added tomorrow is redacted until someone decides otherwise.
 */
const LOGGED_QUERY_KEYS = new Set([
  'page',
  'pageSize',
  'limit',
  'status',
  'state',
  'channel',
  'action',
  'sort',
  'order',
  'days',
  'year',
]);

/** Nine or more digits in a path (a phone or ID number, as in /sandbox/api/phones/0912345678). */
const LONG_NUMBER = /\+?\d{9,}/g;

/** The URL as access logs may show it: the path with long numbers masked, query values redacted. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(LONG_NUMBER, '[redacted]');
  if (q === -1) {
    return path;
  }
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const key = eq === -1 ? pair : pair.slice(0, eq);
      let name = key;
      try {
        name = decodeURIComponent(key);
      } catch {
        // A malformed key is logged as sent, its value never.
      }
      return eq === -1 || LOGGED_QUERY_KEYS.has(name)
        ? pair
        : `${key.replace(LONG_NUMBER, '[redacted]')}=[redacted]`;
    })
    .join('&');
  return `${path}?${query}`;
}

/** Fastify's request serializer with the URL redacted (ours replaces Fastify's own). */
const serializers = {
  req: (req: {
    method?: string;
    url?: string;
    host?: string;
    ip?: string;
    socket?: { remotePort?: number };
  }) => ({
    method: req.method,
    url: redactUrl(req.url ?? ''),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};

export function createLogger(
  level: pino.LevelWithSilent = 'info',
  destination?: pino.DestinationStream,
): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
