import type { PromiseRecord } from '../prisma/generated/client';
import { midnightUtc, utcDateOf, type IsoDate } from '../domain/calendar';
import { roundDeadline } from '../domain/signing-timeline';
import { PromiseSettingsSchema } from '../domain/settings';
import type { Database } from './database';

// What a promise waits for from its coordinator in the ordinary course of things (attention.ts has
// what went wrong): signatures still missing before a round's deadline, activities past their date
// without a report, dates to set, follow-ups to publish, a renewal draft to review.

export type ToDo =
  | { kind: 'SIGNATURES_MISSING'; unsigned: string[]; deadline: Date }
  | { kind: 'OVERDUE'; count: number; since: IsoDate }
  | { kind: 'DATE_TO_SET'; count: number }
  | { kind: 'FOLLOW_UP_TO_PUBLISH'; index: number; end: IsoDate }
  | { kind: 'RENEWAL_TO_REVIEW' };

/** To-dos per promise, for the given promises, in three queries; `today` is the Swedish date. */
export async function toDosOf(
  db: Database,
  promises: Pick<PromiseRecord, 'id' | 'status' | 'predecessorId' | 'settings'>[],
  today: IsoDate,
): Promise<Map<string, ToDo[]>> {
  const ids = promises.map((p) => p.id);
  const [rounds, occurrences, followUps] = await Promise.all([
    db.signingRound.findMany({
      where: { promiseId: { in: ids }, status: 'OPEN' },
      include: { requests: { where: { status: { in: ['WAITING', 'PENDING', 'UNDELIVERABLE'] } }, include: { signatory: true } } },
    }),
    db.activityOccurrence.findMany({
      where: {
        promiseId: { in: ids },
        status: { in: ['PLANNED', 'POSTPONED'] },
        OR: [{ dueDate: null }, { dueDate: { lt: midnightUtc(today) } }],
      },
      select: { promiseId: true, dueDate: true },
      orderBy: { dueDate: 'asc' },
    }),
    db.followUpReport.findMany({ where: { promiseId: { in: ids }, status: 'DRAFT' }, orderBy: { periodIndex: 'asc' } }),
  ]);
  const result = new Map<string, ToDo[]>();
  for (const promise of promises) {
    const toDos: ToDo[] = [];
    if (promise.status === 'DRAFT' && promise.predecessorId) toDos.push({ kind: 'RENEWAL_TO_REVIEW' });
    const round = rounds.find((r) => r.promiseId === promise.id);
    if (promise.status === 'SIGNING' && round && round.requests.length > 0) {
      const deadline = new Date(roundDeadline(round, PromiseSettingsSchema.parse(promise.settings).signing));
      toDos.push({ kind: 'SIGNATURES_MISSING', unsigned: round.requests.map((r) => r.signatory.name).sort(), deadline });
    }
    const mine = occurrences.filter((o) => o.promiseId === promise.id);
    const overdue = mine.filter((o) => o.dueDate !== null);
    if (overdue.length > 0) toDos.push({ kind: 'OVERDUE', count: overdue.length, since: utcDateOf(overdue[0]!.dueDate!) });
    const undated = mine.length - overdue.length;
    if (undated > 0) toDos.push({ kind: 'DATE_TO_SET', count: undated });
    for (const f of followUps.filter((f) => f.promiseId === promise.id)) {
      toDos.push({ kind: 'FOLLOW_UP_TO_PUBLISH', index: f.periodIndex, end: utcDateOf(f.periodEnd) });
    }
    result.set(promise.id, toDos);
  }
  return result;
}
