import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';

/**
 * Where callbacks may go. A callback URL is chosen by whoever holds a province's API key, so without this check
 * our server could be made to call its own loopback, the private network behind it or the cloud's metadata
 * service (169.254.169.254) and report the answer in the delivery log. Unless CALLBACK_ALLOW_PRIVATE_NETWORKS
 * is on, a destination is refused when its host is, or resolves to, any address that is not public unicast.
 */

/** IPv4 ranges that are not the public internet (RFC 6890 and friends), as [first octets, prefix length]. */
const INTERNAL_V4: [number[], number, string][] = [
  [[0], 8, '"this network" (0.0.0.0/8)'],
  [[10], 8, 'private network (10.0.0.0/8)'],
  [[100, 64], 10, 'carrier-grade NAT (100.64.0.0/10)'],
  [[127], 8, 'loopback (127.0.0.0/8)'],
  [[169, 254], 16, 'link-local / cloud metadata (169.254.0.0/16)'],
  [[172, 16], 12, 'private network (172.16.0.0/12)'],
  [[192, 0, 0], 24, 'IETF protocol assignments (192.0.0.0/24)'],
  [[192, 0, 2], 24, 'documentation (192.0.2.0/24)'],
  [[192, 88, 99], 24, '6to4 relay (192.88.99.0/24)'],
  [[192, 168], 16, 'private network (192.168.0.0/16)'],
  [[198, 18], 15, 'benchmarking (198.18.0.0/15)'],
  [[198, 51, 100], 24, 'documentation (198.51.100.0/24)'],
  [[203, 0, 113], 24, 'documentation (203.0.113.0/24)'],
  [[224], 4, 'multicast (224.0.0.0/4)'],
  [[240], 4, 'reserved or broadcast (240.0.0.0/4)'],
];

function v4Bytes(ip: string): number[] {
  return ip.split('.').map(Number);
}

function inPrefix(bytes: number[], first: number[], bits: number): boolean {
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((first[i] ?? 0) & mask)) {
      return false;
    }
  }
  return true;
}

function internalV4(bytes: number[]): string | null {
  for (const [first, bits, what] of INTERNAL_V4) {
    if (inPrefix(bytes, first, bits)) {
      return what;
    }
  }
  return null;
}

/** The 16 bytes of an IPv6 address (with or without an embedded dotted IPv4 tail, zone id dropped). */
function v6Bytes(ip: string): number[] {
  let s = ip.replace(/%.*$/, '').toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const b = v4Bytes(dotted[1]!);
    tail.push(b[0]!, b[1]!, b[2]!, b[3]!);
    s = `${s.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
  const groups = (x: string | undefined) => (x ? x.split(':').filter((g) => g !== '') : []);
  const h = groups(head);
  const r = groups(rest);
  const all = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
  const bytes = all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length) {
    bytes.splice(12, 4, ...tail);
  }
  return bytes;
}

function internalV6(b: number[]): string | null {
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, also :: and ::1): the IPv4 address decides.
  if (zero(0, 10) && ((b[10] === 0xff && b[11] === 0xff) || zero(10, 12))) {
    if (zero(0, 15) && (b[15] === 0 || b[15] === 1)) {
      return b[15] === 1 ? 'loopback (::1)' : 'unspecified address (::)';
    }
    const v4 = internalV4(b.slice(12));
    return v4 && `IPv4-mapped ${v4}`;
  }
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that the translator would reach.
  if (inPrefix(b, [0x00, 0x64, 0xff, 0x9b], 32) && zero(4, 12)) {
    const v4 = internalV4(b.slice(12));
    return v4 && `NAT64 of ${v4}`;
  }
  if (inPrefix(b, [0x20, 0x02], 16)) {
    const v4 = internalV4(b.slice(2, 6));
    return v4 && `6to4 of ${v4}`;
  }
  const ranges: [number[], number, string][] = [
    [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'local NAT64 (64:ff9b:1::/48)'],
    [[0x01, 0x00], 64, 'discard-only (100::/64)'],
    [[0x20, 0x01, 0x00, 0x00], 32, 'Teredo (2001::/32)'],
    [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation (2001:db8::/32)'],
    [[0xfc], 7, 'unique local (fc00::/7)'],
    [[0xfe, 0x80], 10, 'link-local (fe80::/10)'],
    [[0xfe, 0xc0], 10, 'site-local (fec0::/10)'],
    [[0xff], 8, 'multicast (ff00::/8)'],
  ];
  for (const [first, bits, what] of ranges) {
    if (inPrefix(b, first, bits)) {
      return what;
    }
  }
  return null;
}

/** Why an IP address is not on the public internet, or null when it is. */
export function internalAddressReason(ip: string): string | null {
  const family = isIP(ip.replace(/%.*$/, ''));
  if (family === 4) {
    return internalV4(v4Bytes(ip));
  }
  if (family === 6) {
    return internalV6(v6Bytes(ip));
  }
  return 'not an IP address';
}

export class DestinationRefused extends Error {}

export interface CheckedDestination {
  address: string;
  family: 4 | 6;
}

/** How a host name is resolved: the system resolver (tests may hand another). */
export type Resolve = (host: string) => Promise<CheckedDestination[]>;

const systemResolve: Resolve = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * Resolves the URL's host and checks every address it resolves to (one internal address is enough to refuse:
 * which one the connection would take is not ours to choose). Returns the address to connect to; null when
 * private networks are allowed (nothing to check, the connection resolves as usual).
 */
export async function checkDestination(
  url: string,
  allowPrivateNetworks: boolean,
  resolve: Resolve = systemResolve,
  timeoutMs = 10_000,
): Promise<CheckedDestination | null> {
  if (allowPrivateNetworks) {
    return null;
  }
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  const literal = isIP(host);
  let addresses: CheckedDestination[];
  if (literal) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      // The system resolver may wait far longer than a callback's timeout (and its claim's lease).
      let timer: NodeJS.Timeout | undefined;
      addresses = await Promise.race([
        resolve(host),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error(), { code: 'timeout' })), timeoutMs);
        }),
      ]).finally(() => clearTimeout(timer));
    } catch (err) {
      throw new DestinationRefused(`cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? err}`);
    }
    if (addresses.length === 0) {
      throw new DestinationRefused(`cannot resolve ${host}: no address`);
    }
  }
  for (const a of addresses) {
    const why = internalAddressReason(a.address);
    if (why) {
      throw new DestinationRefused(
        `${literal ? host : `${host} resolves to ${a.address}`}: ${why}, not a public address`,
      );
    }
  }
  return addresses[0]!;
}

/**
 * A `lookup` for node:http that answers the address already checked, so the connection goes where the check
 * looked and a DNS answer changed in between (rebinding) cannot send it elsewhere.
 */
export function pinnedLookup(d: CheckedDestination): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) {
      (callback as unknown as (e: null, a: CheckedDestination[]) => void)(null, [d]);
    } else {
      callback(null, d.address, d.family);
    }
  };
}
