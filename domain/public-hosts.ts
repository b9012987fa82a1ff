// Which host names can be reached from the internet: where links in e-mail point and the domain
// mail comes from. A name is normalised before it is judged (case, a trailing dot, brackets
// around an address), so "LOCALHOST." and "[127.0.0.1]" are seen for what they are.

/**
 * Names that never serve pages or receive mail on the internet: IANA's Special-Use Domain Names
 * registry (RFC 6761 and after), the reverse-lookup trees, and "internal" (reserved by ICANN for
 * private networks in 2024).
 */
const SPECIAL_USE = [
  'localhost',
  'local',
  'test',
  'example',
  'invalid',
  'example.com',
  'example.net',
  'example.org',
  'onion',
  'alt',
  'home.arpa',
  'ipv4only.arpa',
  'resolver.arpa',
  'service.arpa',
  '6tisch.arpa',
  'in-addr.arpa',
  'ip6.arpa',
  'internal',
];

/** The name as DNS compares it: lower case, no trailing dot, no brackets around an address literal. */
export const normalisedHost = (host: string): string =>
  host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '');

/** Why a host cannot be the product's public name or mail domain, or undefined when it can. */
export function nonPublicHostReason(host: string): string | undefined {
  const name = normalisedHost(host);
  if (name === '') return 'saknar värdnamn';
  // An IPv6 literal has colons; an IPv4 one (in any of the forms resolvers accept, 0x7f.1 too)
  // ends in a number, which no top-level domain is.
  if (name.includes(':') || /(^|\.)(\d+|0x[\da-f]*)$/.test(name)) return 'är en IP-adress, inte ett namn';
  if (!name.includes('.')) return 'är inget fullständigt domännamn';
  const reserved = SPECIAL_USE.find((suffix) => name === suffix || name.endsWith(`.${suffix}`));
  return reserved ? `ligger under ${reserved}, som aldrig nås från internet` : undefined;
}
