// Node-only (node:crypto): imported by activities and the API, never by workflow code.
import { parseReturnPath, RETURN_PATH_CHECK_LENGTH } from './return-path';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A capability token (an API key): 256 random bits, URL-safe. */
export function newAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A personal link's token for the e-mail with this outbox key: 256 bits from HMAC-SHA256 under the
 * link secret. The same e-mail sent again (a retry after a crash) carries the same link, so every
 * link that reached someone keeps working; nothing but its hash is stored, and without the secret
 * it cannot be guessed. A new e-mail (a new key) gets a new link.
 */
export function linkTokenFor(linkSecret: string, outboxKey: string): string {
  return createHmac('sha256', linkSecret).update(outboxKey, 'utf8').digest('base64url');
}

/** Enough for an HMAC key: 256 random bits. */
export const newLinkSecret = (): string => randomBytes(32).toString('base64url');

/**
 * The same UUID for the same name, always (the form of a version-5 UUID, from SHA-256): a client's
 * Idempotency-Key becomes the id of what it creates, so a retried call finds the first one.
 */
export function uuidFromName(name: string): string {
  const hex = sha256Hex(name).slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// An e-mail address that must no longer be kept becomes a pseudonym: the same address always gives
// the same one (so what was sent to one person still reads as one person), no one can turn it back
// without the installation's secret, and it can never receive e-mail (.invalid, RFC 2606).

const PSEUDONYM_DOMAIN = 'pseudonym.invalid';

/** A keyed hash of the address (case does not matter), under the installation's link secret. */
export const addressHash = (secret: string, address: string): string =>
  createHmac('sha256', secret).update(`e-postadress:${address.trim().toLowerCase()}`).digest('hex');

/** A rate limit's key as the shared counters keep it: the client's address only as a keyed hash. */
export const rateLimitKey = (secret: string, key: string): string =>
  createHmac('sha256', secret).update(`anropsgräns:${key}`).digest('base64url');

/**
 * The part of an idempotency key that names the address an e-mail goes to: keys are kept for good
 * (the outbox, the audit log), so they carry this, never the address.
 */
export const addressTag = (secret: string, address: string): string => addressHash(secret, address).slice(0, 16);

/**
 * The key of a contact's calendar link for one promise, from the promise and the address under the
 * link secret. Nothing is stored: the link works while the address is one of the promise's
 * contacts, and ends with a correction, a revision without them, or their erasure.
 */
export const calendarKeyFor = (secret: string, promiseId: string, address: string): string =>
  createHmac('sha256', secret).update(`kalender:${promiseId}:${address.trim().toLowerCase()}`).digest('base64url');

/** The check value in an e-mail's return path (return-path.ts): only the installation can make it. */
export const returnPathCheck = (secret: string, outboxId: string): string =>
  createHmac('sha256', secret).update(`returadress:${outboxId}`).digest('hex').slice(0, RETURN_PATH_CHECK_LENGTH);

/** The outbox row a bounce is about, when its return path's check value is the installation's own. */
export function outboxOfReturnPath(secret: string, address: string, bounceAddress: string): string | undefined {
  const named = parseReturnPath(address, bounceAddress);
  if (!named) return undefined;
  const expected = Buffer.from(returnPathCheck(secret, named.outboxId));
  const given = Buffer.from(named.check);
  return given.length === expected.length && timingSafeEqual(given, expected) ? named.outboxId : undefined;
}

export const pseudonymOf = (secret: string, address: string): string =>
  `raderad-${addressHash(secret, address).slice(0, 20)}@${PSEUDONYM_DOMAIN}`;

export const isPseudonym = (address: string): boolean => address.toLowerCase().endsWith(`@${PSEUDONYM_DOMAIN}`);

/**
 * The content of BankID's animated QR code at `seconds` after the order started:
 * "bankid.<qrStartToken>.<seconds>.<HMAC-SHA256 of the seconds under qrStartSecret, hex>", as
 * BankID documents it. Computed here, never in the browser: the secret stays on the server.
 */
export function bankIdQrData(qrStartToken: string, qrStartSecret: string, seconds: number): string {
  const code = createHmac('sha256', qrStartSecret).update(String(seconds), 'utf8').digest('hex');
  return `bankid.${qrStartToken}.${seconds}.${code}`;
}

/** The key sealed fields are encrypted under: derived from the link secret, for this use only. */
const sealingKey = (secret: string) => Buffer.from(hkdfSync('sha256', secret, 'medborgarlofte', 'sealed-fields-v1', 32));

/**
 * A sensitive field (a personal identity number, BankID's evidence) as the database keeps it:
 * AES-256-GCM under a key derived from the link secret, "v1.<iv>.<tag>.<ciphertext>" (base64url).
 * Whoever reads the database without the secret reads nothing.
 */
export function sealText(secret: string, text: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secret), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** A sealed field's text; throws when it was changed or sealed under another secret. */
export function openSealed(secret: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Ett förseglat fält har fel form.');
  const decipher = createDecipheriv('aes-256-gcm', sealingKey(secret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

// Webhooks as the Standard Webhooks specification signs them: `whsec_` secrets, and the signature
// over `<id>.<timestamp>.<body>` (HMAC-SHA256, base64) in `webhook-signature`.

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 24 random bytes, base64, with the specification's prefix. */
export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;

const keyOf = (secret: string) => Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');

/** `v1,<signature>` of one secret over the message, as webhook-signature carries it. */
export function webhookSignature(secret: string, message: { id: string; timestamp: number; body: string }): string {
  const signed = `${message.id}.${message.timestamp}.${message.body}`;
  return `v1,${createHmac('sha256', keyOf(secret)).update(signed, 'utf8').digest('base64')}`;
}

/**
 * The headers a delivery carries: the same id on every attempt (receivers drop duplicates by it),
 * the time of this attempt, and one signature per valid secret (old and new while a rotation's
 * grace period lasts), separated by spaces.
 */
export function webhookHeaders(secrets: string[], message: { id: string; timestamp: number; body: string }): Record<string, string> {
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(message.timestamp),
    'webhook-signature': secrets.map((secret) => webhookSignature(secret, message)).join(' '),
  };
}

/** Whether any of the signatures in a webhook-signature header is this secret's (for tests and the README's receiver). */
export function signatureMatches(secret: string, header: string, message: { id: string; timestamp: number; body: string }): boolean {
  const expected = Buffer.from(webhookSignature(secret, message));
  return header.split(' ').some((given) => {
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  });
}
