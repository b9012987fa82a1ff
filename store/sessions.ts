import { newAccessToken, sha256Hex } from '../domain/crypto';
import { durationToMs, type Duration } from '../domain/durations';
import { sessionEnding, type SessionPolicy } from '../domain/sessions';
import type { Database, Tx } from './database';

// Coordinators in the browser: one-time sign-in links and the sessions they open. Only hashes of
// the keys are stored; the keys themselves exist in an e-mail and in a cookie.

/** A coordinator by e-mail address, as typed into the sign-in form (case does not matter). */
export const coordinatorByEmail = (db: Database | Tx, email: string) =>
  db.coordinator.findFirst({ where: { email: { equals: email.trim(), mode: 'insensitive' } } });

/** A new sign-in link's key for this coordinator, working for `validFor`. */
export async function createSignInLink(db: Database, coordinatorId: string, validFor: Duration, now = Date.now()): Promise<string> {
  const token = newAccessToken();
  await db.signInLink.create({
    data: { coordinatorId, tokenHash: sha256Hex(token), expiresAt: new Date(now + durationToMs(validFor)) },
  });
  return token;
}

export type UnusableLink = { state: 'UNKNOWN' | 'USED' | 'EXPIRED' };
export type SignInLinkState = { state: 'USABLE'; coordinator: { id: string; name: string; email: string } } | UnusableLink;

/** Why a link cannot be used at `now`, if it cannot. */
function unusable(link: { usedAt: Date | null; expiresAt: Date } | null, now: number): UnusableLink | undefined {
  if (!link) return { state: 'UNKNOWN' };
  if (link.usedAt) return { state: 'USED' };
  if (link.expiresAt.getTime() <= now) return { state: 'EXPIRED' };
  return undefined;
}

/** What a sign-in link's key stands for now, without using it. */
export async function findSignInLink(db: Database, token: string, now = Date.now()): Promise<SignInLinkState> {
  const link = await db.signInLink.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { coordinator: true } });
  return unusable(link, now) ?? { state: 'USABLE', coordinator: link!.coordinator };
}

/**
 * Uses a sign-in link once and opens a session: the link is marked used only if it still is
 * usable, in the same statement, so two clicks at once open one session. Returns the session's
 * key, or why the link could not be used.
 */
export async function signInWithLink(
  db: Database,
  token: string,
  now = Date.now(),
): Promise<{ state: 'SIGNED_IN'; sessionToken: string; coordinatorId: string } | UnusableLink> {
  return db.$transaction(async (tx) => {
    const tokenHash = sha256Hex(token);
    const used = await tx.signInLink.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: new Date(now) } },
      data: { usedAt: new Date(now) },
    });
    const link = await tx.signInLink.findUnique({ where: { tokenHash } });
    if (used.count !== 1) return unusable(link, now) ?? { state: 'USED' };
    const { coordinatorId } = link!;
    const sessionToken = newAccessToken();
    await tx.coordinatorSession.create({
      data: { coordinatorId, tokenHash: sha256Hex(sessionToken), createdAt: new Date(now), lastSeenAt: new Date(now) },
    });
    return { state: 'SIGNED_IN' as const, sessionToken, coordinatorId };
  });
}

/** The coordinator a session cookie belongs to while the session lasts; each use keeps it from going idle. */
export async function coordinatorOfSession(db: Database, sessionToken: string, policy: SessionPolicy, now = Date.now()) {
  const session = await db.coordinatorSession.findUnique({ where: { tokenHash: sha256Hex(sessionToken) }, include: { coordinator: true } });
  if (!session || sessionEnding(session, policy, now)) return undefined;
  await db.coordinatorSession.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
  return session.coordinator;
}

/** Signs out: the session ends for good. */
export async function endSession(db: Database, sessionToken: string, now = Date.now()): Promise<void> {
  await db.coordinatorSession.updateMany({
    where: { tokenHash: sha256Hex(sessionToken), endedAt: null },
    data: { endedAt: new Date(now) },
  });
}
