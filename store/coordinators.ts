import { newAccessToken, sha256Hex } from '../domain/crypto';
import type { Database } from './database';

/** Creates a coordinator with an API token. The token is returned once and stored only as a hash. */
export async function createCoordinator(db: Database, input: { name: string; email: string; label?: string }) {
  const token = newAccessToken();
  const coordinator = await db.coordinator.upsert({
    where: { email: input.email },
    create: { name: input.name, email: input.email },
    update: {},
  });
  await db.coordinatorCredential.create({
    data: { coordinatorId: coordinator.id, tokenHash: sha256Hex(token), label: input.label ?? 'API-nyckel' },
  });
  return { coordinator, token };
}

/** A coordinator who signs in through the web app (no API key until they make one); the same one again if invited twice. */
export const inviteCoordinator = (db: Database, input: { name: string; email: string }) =>
  db.coordinator.upsert({ where: { email: input.email }, create: { name: input.name, email: input.email }, update: {} });

export async function authenticateCoordinator(db: Database, token: string) {
  const credential = await db.coordinatorCredential.findUnique({
    where: { tokenHash: sha256Hex(token) },
    include: { coordinator: true },
  });
  if (!credential || credential.revokedAt) return undefined;
  return credential.coordinator;
}
