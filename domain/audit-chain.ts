import { sha256Hex } from './crypto';

// A promise's audit trail as a hash chain: each event carries the hash of the one before it, so a
// changed, removed or reordered event breaks every hash after it. The database computes the hashes
// on insert (migration 20261203054855_audit_hash_chain, function audit_chain_hash); this module
// computes the same from a downloaded trail, so anyone can check one without the database.
// Node-only (Buffer, and node:crypto through ./crypto): for the API and scripts, never workflows.

/** One event as the downloaded trail carries it (GET /api/promises/{id}/audit/chain). */
export interface ChainedEvent {
  sequence: number;
  at: string;
  actor: string;
  action: string;
  details: unknown;
  idempotencyKey: string | null;
  previousHash: string;
  hash: string;
}

export interface AuditChain {
  promiseId: string;
  events: ChainedEvent[];
}

/**
 * A JSON value as PostgreSQL prints a jsonb (what the database hashed): object keys ordered by
 * their length in bytes and then bytewise, ", " and ": " between items, numbers in plain notation.
 */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return plainNumber(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => byJsonbKeyOrder(a, b));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}: ${jsonbText(item)}`).join(', ')}}`;
}

function byJsonbKeyOrder(a: string, b: string): number {
  const [x, y] = [Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')];
  return x.length - y.length || Buffer.compare(x, y);
}

/** 1e21 and 1.5e-7 as numeric prints them: every digit written out. */
function plainNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Ett tal i händelsen går inte att skriva som JSON: ${value}`);
  const text = String(value);
  const exponent = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, whole, fraction = '', power] = exponent;
  const digits = whole! + fraction;
  const point = whole!.length + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The hash an event must carry, given the hash before it. */
export function chainHash(promiseId: string, event: Omit<ChainedEvent, 'hash'>): string {
  const at = new Date(event.at).toISOString();
  return sha256Hex(
    jsonbText([event.previousHash, promiseId, event.sequence, at, event.actor, event.action, event.details, event.idempotencyKey]),
  );
}

export type ChainProblem =
  | { kind: 'CHANGED'; sequence: number }
  | { kind: 'MISSING'; after: number; next: number }
  | { kind: 'OUT_OF_ORDER'; sequence: number }
  | { kind: 'BROKEN_LINK'; sequence: number }
  | { kind: 'HEAD_NOT_FOUND'; head: string }
  | { kind: 'EMPTY' };

export interface ChainCheck {
  intact: boolean;
  problems: ChainProblem[];
  events: number;
  /** The last event's hash: what the trail says its head is. */
  head?: string;
  /** Where the head given was found, when one was given and found. */
  headAt?: number;
}

/**
 * Checks every link of a downloaded trail: each event's own hash, that it names the hash before
 * it, that no position is missing. With `head` (from the open data or a signed PDF), also that the
 * trail reaches that event; a trail downloaded later holds more events after it.
 */
export function verifyChain(chain: AuditChain, head?: string): ChainCheck {
  const problems: ChainProblem[] = [];
  const events = chain.events;
  if (events.length === 0) problems.push({ kind: 'EMPTY' });
  events.forEach((event, index) => {
    const before = events[index - 1];
    const expectedSequence = before ? before.sequence + 1 : 1;
    if (event.sequence > expectedSequence) problems.push({ kind: 'MISSING', after: expectedSequence - 1, next: event.sequence });
    else if (event.sequence < expectedSequence) problems.push({ kind: 'OUT_OF_ORDER', sequence: event.sequence });
    else if (event.previousHash !== (before?.hash ?? '')) problems.push({ kind: 'BROKEN_LINK', sequence: event.sequence });
    if (chainHash(chain.promiseId, event) !== event.hash) problems.push({ kind: 'CHANGED', sequence: event.sequence });
  });
  const wanted = head?.trim().toLowerCase();
  const headAt = wanted ? events.find((event) => event.hash === wanted)?.sequence : undefined;
  if (wanted && headAt === undefined) problems.push({ kind: 'HEAD_NOT_FOUND', head: wanted });
  return { intact: problems.length === 0, problems, events: events.length, head: events.at(-1)?.hash, headAt };
}

/** A promise's chain at one event: its hash and its place in the chain (published as the head). */
export interface ChainHead {
  hash: string;
  sequence: number;
}
