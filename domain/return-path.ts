// The envelope sender (return path) every e-mail carries when bounces are read (issue 26): the
// bounce mailbox's address with the outbox row and a check value after a "+" (VERP), so that a
// delivery status notification names the e-mail it is about, and a forged one cannot mark an
// address undeliverable. "bounces@kommun.se" becomes "bounces+<outbox id>.<check>@kommun.se".
// (The check value is an HMAC made in crypto.ts.)

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** Hex, so a relay that lowercases the local part changes nothing. */
export const RETURN_PATH_CHECK_LENGTH = 12;

function split(address: string): { local: string; domain: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return { local: address.slice(0, at), domain: address.slice(at + 1).toLowerCase() };
}

/** The return path of one e-mail. */
export function returnPathFor(bounceAddress: string, outboxId: string, check: string): string {
  const parts = split(bounceAddress);
  if (!parts) throw new Error(`"${bounceAddress}" är ingen e-postadress`);
  return `${parts.local}+${outboxId}.${check}@${parts.domain}`;
}

/**
 * The outbox row and check value a return path names, when it is one of this bounce mailbox's
 * (the local part before the "+" and the domain, in any case); undefined for any other address.
 */
export function parseReturnPath(address: string, bounceAddress: string): { outboxId: string; check: string } | undefined {
  const given = split(address.trim().replace(/^<(.*)>$/, '$1'));
  const own = split(bounceAddress);
  if (!given || !own || given.domain !== own.domain) return undefined;
  const pattern = new RegExp(`^${escape(own.local.toLowerCase())}\\+(${UUID})\\.([0-9a-f]{${RETURN_PATH_CHECK_LENGTH}})$`);
  const match = pattern.exec(given.local.toLowerCase());
  return match ? { outboxId: match[1]!, check: match[2]! } : undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The domain part of an address, lowercased: where the inbound SMTP port takes mail for. */
export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
