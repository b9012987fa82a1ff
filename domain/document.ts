import type { PromiseContent } from './content';

// What a signatory signs: the promise as written, without personal contact details (changing
// an e-mail address is not a change of the promise) or how each signatory signs. Canonical JSON makes the bytes, and so the
// SHA-256, depend only on the content, never on key order or whitespace.

export function signedDocumentOf(content: PromiseContent): unknown {
  return {
    ...content,
    signatories: content.signatories.map(({ email: _email, signingMethod: _method, ...signatory }) => signatory),
    priorityAreas: content.priorityAreas.map((area) => ({
      ...area,
      // Contacts are who gets reminded, not what is promised (stored content may hold the older `contact`).
      commitments: area.commitments.map((commitment) => {
        const { contact: _contact, contacts: _contacts, ...promised } = commitment as typeof commitment & { contact?: unknown };
        return promised;
      }),
    })),
  };
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('Icke-ändligt tal i dokumentet');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Two contents are the same when every field is (contacts included, which the signed text leaves out), whatever the keys' order. */
export const sameContent = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

export function canonicalTextOf(content: PromiseContent): string {
  return canonicalJson(signedDocumentOf(content));
}
