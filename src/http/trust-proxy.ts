import { BlockList, isIPv4 } from 'node:net';
import type { TrustProxy } from '../config-checks.ts';

/** Loopback and private ranges: where a reverse proxy in front of the app connects from. */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

function isPrivate(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return isIPv4(v4) ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(address, 'ipv6');
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`. Fastify 5 turns a bare hop count into "trust nothing" (it cannot tell
 * a proxy from a client that sends enough hops itself), so a count becomes a function here: the `hops`
 * nearest addresses are proxies, provided the connection itself comes from a loopback or private address —
 * a client reaching the app directly from outside cannot pass its own X-Forwarded-For off as a proxy's.
 */
export function fastifyTrustProxy(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') {
    return trust;
  }
  if (trust === 0) {
    return false;
  }
  // proxy-addr asks about the connection's address first (hop 0), then each X-Forwarded-For entry from the
  // right, and stops at the first address it is told not to trust.
  return (address, hop) => hop < trust && (hop > 0 || isPrivate(address));
}
