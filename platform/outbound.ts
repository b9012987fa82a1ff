import { lookup } from 'node:dns/promises';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Requests the product makes to addresses its users typed (webhook endpoints): only https, only to
// addresses on the public internet (checked when the request is made, against every address the
// name resolves to, and the connection pinned to the checked one so a second lookup cannot point
// elsewhere), no redirects followed, a short timeout. An installation may allow named private
// networks (a case system on the municipality's own network) with WEBHOOK_ALLOWED_NETWORKS.

/** What is not the public internet: loopback, private, link-local, shared, reserved, documentation, multicast. */
const NOT_PUBLIC: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export type OutboundAnswer =
  | { kind: 'answered'; status: number; retryAfterSeconds?: number; excerpt: string }
  /** Refused before any request: not https, not public, a redirect. Trying again changes nothing. */
  | { kind: 'refused'; reason: string }
  /** No answer: the name did not resolve, the connection failed or timed out. Worth trying again. */
  | { kind: 'unreachable'; reason: string };

export interface OutboundOptions {
  /** CIDR ranges allowed although not public ("10.20.0.0/16"); none by default. */
  allowedNetworks?: string[];
  /** Certificate authorities to trust besides the system's (a test's own CA). */
  ca?: string;
  timeoutMs?: number;
}

/** An IPv4 address inside an IPv6 one (::ffff:a.b.c.d) is checked as the IPv4 address it is. */
const unmapped = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

function blockListOf(ranges: [string, number, 'ipv4' | 'ipv6'][]) {
  const list = new BlockList();
  for (const [network, prefix, family] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

export function parseNetworks(setting: string | undefined): [string, number, 'ipv4' | 'ipv6'][] {
  return (setting ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((cidr) => {
      const [network, prefix] = cidr.split('/');
      const family = isIP(network ?? '');
      if (!family || !/^\d+$/.test(prefix ?? '')) throw new Error(`"${cidr}" är inte ett nät i CIDR-form (t.ex. 10.20.0.0/16)`);
      return [network!, Number(prefix), family === 4 ? 'ipv4' : 'ipv6'];
    });
}

const EXCERPT_BYTES = 500;

export function createOutbound(options: OutboundOptions = {}) {
  const notPublic = blockListOf(NOT_PUBLIC);
  const allowed = blockListOf(parseNetworks(options.allowedNetworks?.join(',')));
  const timeoutMs = options.timeoutMs ?? 10_000;

  const usable = (address: string) => {
    const plain = unmapped(address);
    const family = isIP(plain) === 4 ? 'ipv4' : 'ipv6';
    return !notPublic.check(plain, family) || allowed.check(plain, family);
  };

  /** The address to connect to, once every address the name has is one the product may reach. */
  async function checkedAddress(
    hostname: string,
  ): Promise<{ address: string; family: number } | { refused: string } | { unreachable: string }> {
    const bare = hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: { address: string; family: number }[];
    if (isIP(bare)) addresses = [{ address: bare, family: isIP(bare) }];
    else {
      try {
        addresses = await lookup(bare, { all: true, verbatim: true });
      } catch {
        return { unreachable: `namnet ${bare} hittas inte` };
      }
    }
    const blocked = addresses.find((a) => !usable(a.address));
    if (blocked) return { refused: `${bare} leder till ${blocked.address}, som inte är en publik adress` };
    return addresses[0]!;
  }

  /** Where a request to the URL would go, or why it may not (checked again at every request). */
  async function check(
    target: string,
  ): Promise<{ kind: 'usable'; url: URL; address: { address: string; family: number } } | Exclude<OutboundAnswer, { kind: 'answered' }>> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return { kind: 'refused', reason: 'ingen giltig adress' };
    }
    if (url.protocol !== 'https:') return { kind: 'refused', reason: 'bara https-adresser' };
    if (url.username || url.password) return { kind: 'refused', reason: 'adressen får inte innehålla inloggning' };
    const checked = await checkedAddress(url.hostname);
    if ('refused' in checked) return { kind: 'refused', reason: checked.refused };
    if ('unreachable' in checked) return { kind: 'unreachable', reason: checked.unreachable };
    return { kind: 'usable', url, address: checked };
  }

  async function post(target: string, headers: Record<string, string>, body: string): Promise<OutboundAnswer> {
    const checkedTarget = await check(target);
    if (checkedTarget.kind !== 'usable') return checkedTarget;
    const { url, address: checked } = checkedTarget;
    // The connection goes to the address just checked, whatever a new lookup would say.
    const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
      if (lookupOptions.all) callback(null, [checked]);
      else callback(null, checked.address, checked.family);
    };
    return new Promise<OutboundAnswer>((resolve) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
          lookup: pinned,
          ...(options.ca ? { ca: options.ca } : {}),
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < EXCERPT_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 300 && status < 400) {
              resolve({ kind: 'refused', reason: `svarade med omdirigering (${status}); omdirigeringar följs inte` });
              return;
            }
            const retryAfter = retryAfterSeconds(res.headers['retry-after']);
            resolve({
              kind: 'answered',
              status,
              ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
              excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
            });
          });
          res.on('error', (error) => resolve({ kind: 'unreachable', reason: error.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`inget svar inom ${timeoutMs / 1000} s`)));
      req.on('error', (error) => resolve({ kind: 'unreachable', reason: error.message }));
      req.end(body);
    });
  }

  return { post, check, usable };
}

export type Outbound = ReturnType<typeof createOutbound>;

/** Retry-After as seconds from now: a number of seconds or an HTTP date (RFC 9110). */
export function retryAfterSeconds(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
