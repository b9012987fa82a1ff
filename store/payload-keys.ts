import type { Database } from './database';

/**
 * Records each key's fingerprint the first time a process starts with it, and gives the ids whose
 * recorded fingerprint is another: a key replaced under the same id, which could not read what the
 * old one encrypted.
 */
export async function changedPayloadKeys(db: Database, keys: readonly { id: string; fingerprint: string }[]): Promise<string[]> {
  await db.payloadKeyFingerprint.createMany({ data: keys.map(({ id, fingerprint }) => ({ id, fingerprint })), skipDuplicates: true });
  const recorded = await db.payloadKeyFingerprint.findMany({ where: { id: { in: keys.map((k) => k.id) } } });
  return keys.filter((k) => recorded.find((r) => r.id === k.id)?.fingerprint !== k.fingerprint).map((k) => k.id);
}
