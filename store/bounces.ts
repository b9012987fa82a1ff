import type { BounceNoticeKind } from '../prisma/generated/client';
import type { Database } from './database';

// What came back about an e-mail after the relay took it (issue 26), one row per e-mail and kind:
// a second notification of the same kind for the same e-mail is recognised as a duplicate.

export type RecordedNotice =
  /** No e-mail has this id (pruned with its promise, or never ours): nothing recorded. */
  { outcome: 'UNKNOWN_EMAIL' } | { outcome: 'NEW' | 'DUPLICATE'; noticeId: string; promiseId: string | null; signalled: boolean };

export async function recordBounceNotice(
  db: Database,
  notice: { outboxId: string; kind: BounceNoticeKind; status?: string; diagnostic?: string },
): Promise<RecordedNotice> {
  const email = await db.emailOutbox.findUnique({ where: { id: notice.outboxId }, select: { promiseId: true } });
  if (!email) return { outcome: 'UNKNOWN_EMAIL' };
  // Two readers of the same notice at once: the unique key lets one create it; both then read it.
  const { count } = await db.bounceNotice.createMany({
    data: [{ outboxId: notice.outboxId, kind: notice.kind, status: notice.status, diagnostic: notice.diagnostic?.slice(0, 1000) }],
    skipDuplicates: true,
  });
  const row = await db.bounceNotice.findUniqueOrThrow({ where: { outboxId_kind: { outboxId: notice.outboxId, kind: notice.kind } } });
  return { outcome: count === 1 ? 'NEW' : 'DUPLICATE', noticeId: row.id, promiseId: email.promiseId, signalled: row.signalledAt !== null };
}

export async function markNoticeSignalled(db: Database, noticeId: string): Promise<void> {
  await db.bounceNotice.update({ where: { id: noticeId }, data: { signalledAt: new Date() } });
}

/** A notice with the e-mail it is about and the personal link that e-mail carried, if any. */
export const loadBounceNotice = (db: Database, noticeId: string) =>
  db.bounceNotice.findUnique({ where: { id: noticeId }, include: { outbox: true } });

/** The personal link an e-mail carried: which signing request or activity it was for. */
export const linkOfEmail = (db: Database, idempotencyKey: string) =>
  db.accessToken.findUnique({ where: { outboxKey: idempotencyKey }, select: { signingRequestId: true, occurrenceId: true } });
