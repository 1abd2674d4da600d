import { isIP } from 'node:net';

/** Checks of configuration values that need more than a schema (used by src/config.ts, which reads the env). */

export type TrustProxy = false | number | string[];

/** Names proxy-addr (Fastify's trustProxy) knows for whole address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Fastify takes it, or the reason it is refused. */
export function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.toLowerCase();
  if (v === '' || v === '0' || v === 'false' || v === 'no') {
    return false;
  }
  if (v === 'true' || v === 'yes') {
    return 'trusting every hop lets clients choose their own address; give the number of proxies in front of the app (e.g. 1) or their addresses/CIDRs';
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? hops : 'at most 10 proxy hops';
  }
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !isProxyAddress(e));
  return bad.length === 0
    ? entries
    : `expected 0, a number of proxy hops, or addresses/CIDRs separated by commas; not understood: ${bad.join(', ')}`;
}

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) {
    return true;
  }
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) {
    return false;
  }
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/**
 * A secret that is long enough but guessable: few distinct characters, or little information per character
 * (32 times the same letter, "abcabc…"). Random base64 or hex of 16 bytes or more passes easily.
 */
export function isWeakSecret(value: string): boolean {
  const counts = new Map<string, number>();
  for (const c of value) {
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bitsPerChar = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bitsPerChar -= p * Math.log2(p);
  }
  return counts.size < 10 || bitsPerChar * value.length < 100;
}
