import type { PromiseStatus } from '../domain/lifecycle';
import type { PromiseListing } from '../domain/search-attributes';
import { PromiseSettingsSchema } from '../domain/settings';
import type { Database } from './database';
import { listingOf } from './promises';
import { planOf, type RoundPlan } from './signing';
import { scheduleOccurrences } from './year';

// What a fresh run of a promise's workflow reads before it does anything, so that a run started
// again after a failure or a termination carries on from the records instead of from scratch.

/** How the latest round ended, as the records tell it, when it ended without the status following. */
export type RecordedRoundEnd =
  | { kind: 'ALL_SIGNED' }
  | { kind: 'DECLINED'; signatoryName: string; reason: string }
  | { kind: 'EXPIRED' }
  | { kind: 'SUPERSEDED' }
  | { kind: 'WITHDRAWN'; reason: string };

export interface PromiseRecords {
  status: PromiseStatus;
  statusReason?: string;
  versionNumber: number;
  roundNumber: number;
  listing: PromiseListing;
  /** While SIGNING: the latest round, still open (run it on) or ended (finish what followed). */
  round?: { plan: RoundPlan; startedAt: number; ended?: RecordedRoundEnd };
  /** While ACTIVE or FOLLOW_UP: the year as recorded. */
  year?: Awaited<ReturnType<typeof scheduleOccurrences>> & {
    open: string[];
    followUps: { index: number; status: 'DRAFT' | 'PUBLISHED'; remindersSent: number }[];
    renewalId?: string;
  };
}

export async function readPromiseRecords(db: Database, promiseId: string): Promise<PromiseRecords> {
  const promise = await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId }, include: { successor: true } });
  const latest = await db.signingRound.findFirst({
    where: { promiseId },
    orderBy: { number: 'desc' },
    include: { version: true, requests: { include: { signatory: true, signature: true } } },
  });
  const records: PromiseRecords = {
    status: promise.status,
    ...(promise.statusReason ? { statusReason: promise.statusReason } : {}),
    versionNumber: promise.currentVersionNumber,
    roundNumber: latest?.number ?? 0,
    listing: listingOf(promise),
  };
  if (promise.status === 'SIGNING' && latest) {
    const settings = PromiseSettingsSchema.parse(promise.settings).signing;
    const declined = latest.requests.find((r) => r.signature?.decision === 'DECLINED');
    const ended: Record<typeof latest.status, RecordedRoundEnd | undefined> = {
      OPEN: undefined,
      COMPLETED: { kind: 'ALL_SIGNED' },
      DECLINED: { kind: 'DECLINED', signatoryName: declined?.signatory.name ?? 'En part', reason: declined?.signature?.reason ?? '' },
      EXPIRED: { kind: 'EXPIRED' },
      SUPERSEDED: { kind: 'SUPERSEDED' },
      WITHDRAWN: { kind: 'WITHDRAWN', reason: latest.outcomeReason ?? '' },
    };
    records.round = { plan: planOf(latest, settings, records.listing), startedAt: latest.startedAt.getTime(), ended: ended[latest.status] };
  }
  if (promise.status === 'ACTIVE' || promise.status === 'FOLLOW_UP') {
    const scheduled = await scheduleOccurrences(db, promiseId);
    const open = await db.activityOccurrence.findMany({
      where: { promiseId, status: { in: ['PLANNED', 'POSTPONED'] } },
      select: { id: true },
    });
    const followUps = await db.followUpReport.findMany({ where: { promiseId }, orderBy: { periodIndex: 'asc' } });
    const reminders = await db.emailOutbox.findMany({
      where: { promiseId, purpose: 'FOLLOW_UP_REMINDER' },
      select: { idempotencyKey: true },
    });
    records.year = {
      ...scheduled,
      open: open.map((o) => o.id),
      followUps: followUps.map((f) => ({
        index: f.periodIndex,
        status: f.status,
        remindersSent: reminders.filter((r) => r.idempotencyKey.startsWith(`follow-up:${promiseId}:${f.periodIndex}:`)).length,
      })),
      ...(promise.successor ? { renewalId: promise.successor.id } : {}),
    };
  }
  return records;
}
