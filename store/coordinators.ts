import { newAccessToken, sha256Hex } from '../domain/crypto';
import type { Database } from './database';

/** Creates a coordinator with an API token. The token is returned once and stored only as a hash. */
export async function createCoordinator(db: Database, input: CoordinatorInput & { label?: string }) {
  const coordinator = await inviteCoordinator(db, input);
  const token = await createApiKey(db, coordinator.id, input.label ?? 'API-nyckel');
  return { coordinator, token };
}

/** A new personal API key for integrations: returned once, stored only as its hash. */
export async function createApiKey(db: Database, coordinatorId: string, label: string): Promise<string> {
  const token = newAccessToken();
  await db.coordinatorCredential.create({ data: { coordinatorId, tokenHash: sha256Hex(token), label } });
  return token;
}

/** A coordinator's API keys, the newest first (their hashes are never shown). */
export const apiKeysOf = (db: Database, coordinatorId: string) =>
  db.coordinatorCredential.findMany({ where: { coordinatorId }, orderBy: { createdAt: 'desc' } });

/** Revokes one of the coordinator's own keys and returns it; undefined when it is not theirs or already revoked. */
export async function revokeApiKey(db: Database, coordinatorId: string, id: string) {
  const revoked = await db.coordinatorCredential.updateManyAndReturn({
    where: { id, coordinatorId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return revoked[0];
}

/** A coordinator who signs in through the web app (no API key until they make one); the same one again if invited twice. */
/** A coordinator as an admin names them; the phone number is shown to those the coordinator's e-mails reach. */
export interface CoordinatorInput {
  name: string;
  email: string;
  phone?: string;
}

/** The coordinator with this address, created if new; a phone number given again replaces the old one. */
export const inviteCoordinator = (db: Database, input: CoordinatorInput) =>
  db.coordinator.upsert({
    where: { email: input.email },
    create: { name: input.name, email: input.email, phone: input.phone },
    update: input.phone ? { phone: input.phone } : {},
  });

const LAST_USED_EVERY_MS = 3_600_000;

export async function authenticateCoordinator(db: Database, token: string) {
  const credential = await db.coordinatorCredential.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { coordinator: true },
  });
  if (!credential || credential.revokedAt) return undefined;
  // Noted at most once an hour, so that a busy integration costs no write per call.
  if (!credential.lastUsedAt || Date.now() - credential.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db.coordinatorCredential.update({ where: { id: credential.id }, data: { lastUsedAt: new Date() } });
  }
  return credential.coordinator;
}
