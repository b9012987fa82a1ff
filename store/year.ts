import { OCCURRENCE_REMINDER_KEY_PREFIX, occurrenceOfReminderKey } from '../domain/identifiers';
import type { Prisma } from '../prisma/generated/client';
import type { Actor } from '../domain/actor';
import { midnightUtc, utcDateOf, type IsoDate } from '../domain/calendar';
import { findCommitment, storedContent } from '../domain/stored-content';
import { describeShape } from '../domain/describe';
import { sha256Hex } from '../domain/crypto';
import { DomainError } from '../domain/errors';
import { nextPeriodContent } from '../domain/renewal';
import { hasBeenReported } from '../domain/report-rules';
import type { ActivityReport } from '../domain/requests';
import { expandSchedule, planWaitingSteps, waitingSteps, type PlannedOccurrence } from '../domain/schedule';
import { swedishCalendarFor } from '../domain/working-days';
import { PromiseSettingsSchema } from '../domain/settings';
import { LATEST_SIGNED_ROUND } from './public';
import { recordAudit } from './audit';
import type { Database } from './database';
import { createDraft, SENDER_SELECT } from './promises';

// The year after signing: occurrences, reports, follow-ups and the renewal.

async function currentVersion(db: Database | Prisma.TransactionClient, promiseId: string) {
  const promise = await db.promiseRecord.findUniqueOrThrow({ where: { id: promiseId }, include: { coordinator: true } });
  const version = await db.documentVersion.findUniqueOrThrow({
    where: { promiseId_number: { promiseId, number: promise.currentVersionNumber } },
    include: { commitments: { orderBy: [{ position: 'asc' }], include: { area: true } }, priorityAreas: true },
  });
  return { promise, version, content: storedContent(version.content) };
}

/** A commitment with its contacts, in their order (the first is the one a reminder's key has always named). */
const withContacts = { include: { contacts: { orderBy: { position: 'asc' } } } } as const;

export interface ScheduledOccurrence {
  occurrenceId: string;
  commitmentKey: string;
  kind: 'ACTIVITY' | 'PROGRESS_REPORT';
  /** Null while the date of a one-off is still to be set. */
  dueDate: IsoDate | null;
}

const dateOrNull = (date: IsoDate | null) => (date === null ? null : midnightUtc(date));
const isoDateOrNull = (date: Date | null) => (date === null ? null : utcDateOf(date));

const occurrenceRow = (promiseId: string, commitmentId: string, planned: PlannedOccurrence) => ({
  promiseId,
  commitmentId,
  sequence: planned.sequence,
  step: planned.step ?? null,
  kind: planned.kind,
  plannedDueDate: dateOrNull(planned.dueDate),
  dueDate: dateOrNull(planned.dueDate),
});

const scheduledOf = (o: { id: string; commitment: { key: string }; kind: ScheduledOccurrence['kind']; dueDate: Date | null }) => ({
  occurrenceId: o.id,
  commitmentKey: o.commitment.key,
  kind: o.kind,
  dueDate: isoDateOrNull(o.dueDate),
});

/**
 * Creates the signed version's occurrences, once: a year begun earlier (a run started again after a
 * fault) keeps the rows it has, numbered and dated as they were planned then.
 */
export async function scheduleOccurrences(db: Database, promiseId: string) {
  const { promise, version, content } = await currentVersion(db, promiseId);
  const commitmentIds = new Map(version.commitments.map((c) => [c.key, c.id]));
  const calendar = swedishCalendarFor(content.period);
  const settings = PromiseSettingsSchema.parse(promise.settings).activities;
  if ((await db.activityOccurrence.count({ where: { promiseId } })) === 0) {
    await db.activityOccurrence.createMany({
      data: expandSchedule(content, { calendar, reportEvery: settings.progressReportEvery }).map((planned) =>
        occurrenceRow(promiseId, commitmentIds.get(planned.commitmentKey)!, planned),
      ),
      skipDuplicates: true,
    });
  }
  const rows = await db.activityOccurrence.findMany({
    where: { promiseId },
    include: { commitment: true },
    orderBy: [{ dueDate: 'asc' }, { sequence: 'asc' }],
  });
  return {
    occurrences: rows.map(scheduledOf),
    period: content.period,
    renewal: content.renewal,
    settings,
    calendar,
  };
}

/**
 * Once a one-off step has a date (set, moved or reported done), the steps that waited for it are
 * planned from the day after: "meet four times a year once the council is formed". Only the first
 * date does this; the rows then stay as planned. Returns the waiting steps' occurrences (also when
 * an earlier call planned them, so a retried report hands the workflow the same ones).
 */
async function planStepsAfter(
  tx: Prisma.TransactionClient,
  occurrence: { promiseId: string; commitmentId: string; step: number | null; commitment: { key: string; versionId: string } },
  date: IsoDate | null,
): Promise<ScheduledOccurrence[]> {
  if (occurrence.step === null) return [];
  const version = await tx.documentVersion.findUniqueOrThrow({
    where: { id: occurrence.commitment.versionId },
    include: { promise: true },
  });
  const content = storedContent(version.content);
  const commitment = findCommitment(content, occurrence.commitment.key);
  // Only the step right after a one-off can wait for it.
  const next = occurrence.step + 1;
  if (!commitment || !waitingSteps(commitment).includes(next)) return [];
  const existing = await tx.activityOccurrence.findMany({ where: { commitmentId: occurrence.commitmentId } });
  if (date !== null && !existing.some((o) => o.step === next)) {
    const settings = PromiseSettingsSchema.parse(version.promise.settings).activities;
    const plan = { calendar: swedishCalendarFor(content.period), reportEvery: settings.progressReportEvery };
    const nextSequence = Math.max(...existing.map((o) => o.sequence)) + 1;
    await tx.activityOccurrence.createMany({
      data: planWaitingSteps(commitment, content.period, plan, { after: occurrence.step, date, nextSequence }).map((planned) =>
        occurrenceRow(occurrence.promiseId, occurrence.commitmentId, planned),
      ),
    });
  }
  const planned = await tx.activityOccurrence.findMany({
    where: { commitmentId: occurrence.commitmentId, step: next },
    include: { commitment: true },
    orderBy: { sequence: 'asc' },
  });
  return planned.map(scheduledOf);
}

const STATUS_AFTER: Record<ActivityReport['kind'], 'PLANNED' | 'DONE' | 'CANCELLED' | 'POSTPONED'> = {
  DONE: 'DONE',
  PROGRESS: 'DONE',
  CANCELLED: 'CANCELLED',
  POSTPONED: 'POSTPONED',
  DATE_SET: 'PLANNED',
};

/** The date a report gives its occurrence: a new due date, or the day it was done. */
const dateOf = (report: ActivityReport): IsoDate | null =>
  'newDueDate' in report ? report.newDueDate : report.kind === 'DONE' ? report.performedOn : null;

/**
 * Adds a report (reports are never changed: a correction is a new report pointing at the old one)
 * and moves the occurrence accordingly; plans the steps that waited for its date. Idempotent on the
 * caller-chosen report id.
 */
export async function recordActivityReport(
  db: Database,
  input: { reportId: string; occurrenceId: string; report: ActivityReport; correctsReportId?: string; actor: Actor },
) {
  return db.$transaction(async (tx) => {
    const occurrence = await tx.activityOccurrence.findUniqueOrThrow({ where: { id: input.occurrenceId }, include: { commitment: true } });
    const existing = await tx.activityReport.findUnique({ where: { id: input.reportId } });
    if (existing) return { report: existing, plannedSteps: await planStepsAfter(tx, occurrence, null) };
    if (input.correctsReportId) {
      const corrected = await tx.activityReport.findUnique({ where: { id: input.correctsReportId } });
      if (!corrected || corrected.occurrenceId !== occurrence.id) {
        throw new DomainError('INVALID', 'Rapporten som ska rättas hör inte till den här aktiviteten.');
      }
    }
    const { report } = input;
    const created = await tx.activityReport.create({
      data: {
        id: input.reportId,
        occurrenceId: occurrence.id,
        kind: report.kind,
        performedOn: report.kind === 'DONE' ? midnightUtc(report.performedOn) : null,
        description: report.kind === 'DONE' || report.kind === 'PROGRESS' ? report.description : null,
        participants: report.kind === 'DONE' ? report.participants : null,
        hours: report.kind === 'DONE' ? report.hours : null,
        link: report.kind === 'DONE' || report.kind === 'PROGRESS' ? report.link : null,
        reason: report.kind === 'CANCELLED' || report.kind === 'POSTPONED' || report.kind === 'DATE_SET' ? (report.reason ?? null) : null,
        newDueDate: 'newDueDate' in report ? midnightUtc(report.newDueDate) : null,
        correctsId: input.correctsReportId,
        reportedBy: `${input.actor.kind}:${input.actor.id}`,
      },
    });
    await tx.activityOccurrence.update({
      where: { id: occurrence.id },
      data: { status: STATUS_AFTER[report.kind], ...('newDueDate' in report ? { dueDate: midnightUtc(report.newDueDate) } : {}) },
    });
    await recordAudit(tx, {
      promiseId: occurrence.promiseId,
      actor: input.actor,
      action: input.correctsReportId ? 'ACTIVITY_REPORT_CORRECTED' : 'ACTIVITY_REPORTED',
      details: { commitment: occurrence.commitment.key, sequence: occurrence.sequence, kind: report.kind },
    });
    return { report: created, plannedSteps: await planStepsAfter(tx, occurrence, dateOf(report)) };
  });
}

/**
 * The follow-up's facts, generated from the records: planned against done, per commitment. An
 * occurrence whose date was to be set counts in the period of the date it got; one that never got
 * a date counts in the final follow-up.
 */
async function generateFollowUp(db: Prisma.TransactionClient, input: { promiseId: string; start: IsoDate; end: IsoDate; final: boolean }) {
  const { promiseId, start, end } = input;
  const { version, content } = await currentVersion(db, promiseId);
  const inPeriod = { gte: midnightUtc(start), lte: midnightUtc(end) };
  const occurrences = await db.activityOccurrence.findMany({
    where: {
      promiseId,
      OR: [
        { plannedDueDate: inPeriod },
        { plannedDueDate: null, dueDate: inPeriod },
        ...(input.final ? [{ plannedDueDate: null, dueDate: null }] : []),
      ],
    },
    include: { reports: { orderBy: { createdAt: 'asc' } } },
    orderBy: { sequence: 'asc' },
  });
  return {
    period: { start, end },
    commitments: version.commitments.map((commitment) => {
      const mine = occurrences.filter((o) => o.commitmentId === commitment.id);
      const latest = (o: (typeof mine)[number]) => o.reports[o.reports.length - 1];
      const shape = findCommitment(content, commitment.key)?.shape;
      return {
        key: commitment.key,
        text: commitment.text,
        shape: commitment.shape,
        /** How often, as the signed text says it ("minst 1 gång per år, under terminerna"). */
        schedule: shape ? describeShape(shape) : null,
        planned: mine.length,
        done: mine.filter((o) => o.status === 'DONE').length,
        cancelled: mine
          .filter((o) => o.status === 'CANCELLED')
          .map((o) => ({ sequence: o.sequence, plannedDueDate: isoDateOrNull(o.plannedDueDate), reason: latest(o)?.reason ?? null })),
        notReported: mine.filter((o) => !hasBeenReported(o.reports)).length,
        /** Occurrences whose date was to be set and never was. */
        dateNeverSet: mine.filter((o) => o.dueDate === null && o.status === 'PLANNED').length,
        reports: mine.flatMap((o) =>
          o.reports.map((r) => ({
            sequence: o.sequence,
            kind: r.kind,
            performedOn: r.performedOn ? utcDateOf(r.performedOn) : null,
            description: r.description,
            participants: r.participants,
            reason: r.reason,
          })),
        ),
      };
    }),
  };
}

/** Creates follow-up `index` as a draft; the final one also moves the promise to FOLLOW_UP. Idempotent. */
export async function createFollowUpDraft(
  db: Database,
  input: { promiseId: string; index: number; start: IsoDate; end: IsoDate; final: boolean },
) {
  return db.$transaction(async (tx) => {
    const existing = await tx.followUpReport.findUnique({
      where: { promiseId_periodIndex: { promiseId: input.promiseId, periodIndex: input.index } },
    });
    if (existing) return existing;
    const generated = await generateFollowUp(tx, input);
    const report = await tx.followUpReport.create({
      data: {
        promiseId: input.promiseId,
        periodIndex: input.index,
        periodStart: midnightUtc(input.start),
        periodEnd: midnightUtc(input.end),
        final: input.final,
        generated: generated as unknown as Prisma.InputJsonValue,
      },
    });
    if (input.final) {
      await tx.promiseRecord.update({ where: { id: input.promiseId }, data: { status: 'FOLLOW_UP', statusReason: null } });
    }
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: { kind: 'SYSTEM', id: 'workflow' },
      action: input.final ? 'PERIOD_ENDED_FOLLOW_UP_DRAFTED' : 'FOLLOW_UP_DRAFTED',
      details: { index: input.index },
    });
    return report;
  });
}

/** A follow-up's context (the safety survey, the crime statistics) as written: stored as { text }. */
export const contextText = (stored: Prisma.JsonValue | null): string | null =>
  typeof stored === 'object' && stored !== null && !Array.isArray(stored) && typeof stored.text === 'string' ? stored.text : null;

/** Publishes a follow-up; publishing the final one closes the promise. Idempotent. */
export async function publishFollowUp(
  db: Database,
  input: { promiseId: string; index: number; narrative: string; safetySurvey?: string; crimeStatistics?: string; actor: Actor },
) {
  return db.$transaction(async (tx) => {
    const report = await tx.followUpReport.findUniqueOrThrow({
      where: { promiseId_periodIndex: { promiseId: input.promiseId, periodIndex: input.index } },
    });
    if (report.status === 'PUBLISHED') return report;
    const published = await tx.followUpReport.update({
      where: { id: report.id },
      data: {
        status: 'PUBLISHED',
        publishedAt: new Date(),
        narrative: input.narrative,
        safetySurvey: input.safetySurvey ? { text: input.safetySurvey } : undefined,
        crimeStatistics: input.crimeStatistics ? { text: input.crimeStatistics } : undefined,
      },
    });
    if (report.final) await tx.promiseRecord.update({ where: { id: input.promiseId }, data: { status: 'CLOSED' } });
    await recordAudit(tx, {
      promiseId: input.promiseId,
      actor: input.actor,
      action: report.final ? 'FOLLOW_UP_PUBLISHED_CLOSED' : 'FOLLOW_UP_PUBLISHED',
      details: { index: input.index },
    });
    return published;
  });
}

/** Commitments as the document lists them: by priority area, then by their place in it. */
const inDocumentOrder = (a: { area: { position: number }; position: number }, b: typeof a) =>
  a.area.position - b.area.position || a.position - b.position;

/** The commitments of a renewal's first version that carry over unfinished work, in the document's order. */
export async function carriedOverInto(db: Prisma.TransactionClient, renewalId: string): Promise<string[]> {
  const flagged = await db.commitment.findMany({
    where: { version: { promiseId: renewalId, number: 1 }, carriedOverFromId: { not: null } },
    include: { area: true },
  });
  return flagged.sort(inDocumentOrder).map((c) => c.text);
}

/**
 * Creates the next period's draft from this promise, once: the predecessor link is unique, so a
 * second launch finds the first. Commitments with cancelled or unfinished occurrences are flagged
 * for carry-over (carriedOverFromId).
 */
export async function createRenewal(db: Database, input: { promiseId: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const existing = await tx.promiseRecord.findUnique({ where: { predecessorId: input.promiseId } });
    if (existing) {
      // A retry (say after the coordinator's e-mail failed) reports what the first call flagged.
      return { renewal: existing, carriedOver: await carriedOverInto(tx, existing.id) };
    }
    const { promise, version, content } = await currentVersion(tx, input.promiseId);
    const unfinished = await tx.activityOccurrence.findMany({
      where: { promiseId: promise.id, status: { in: ['PLANNED', 'POSTPONED', 'CANCELLED'] } },
      include: { commitment: true },
    });
    const carriedOver = Object.fromEntries(unfinished.map((o) => [o.commitment.key, o.commitmentId]));
    const { promise: renewal } = await createDraft(
      db,
      {
        content: nextPeriodContent(content),
        settings: PromiseSettingsSchema.parse(promise.settings),
        coordinatorId: promise.coordinatorId,
        actor: input.actor,
        renewalOf: { predecessorId: promise.id, carriedOver },
      },
      tx,
    );
    await recordAudit(tx, {
      promiseId: promise.id,
      actor: input.actor,
      action: 'RENEWAL_CREATED',
      details: { renewalId: renewal.id, carriedOver: Object.keys(carriedOver), fromVersion: version.number },
    });
    const flagged = version.commitments.filter((c) => carriedOver[c.key]);
    return { renewal, carriedOver: flagged.sort(inDocumentOrder).map((c) => c.text) };
  });
}

/** Everything the report page needs, found from the raw token in the link. */
export async function findReportAccess(db: Database, rawToken: string) {
  const token = await db.accessToken.findUnique({
    where: { tokenHash: sha256Hex(rawToken) },
    include: {
      // With whom to ask, so the page is one reading.
      occurrence: {
        include: {
          commitment: withContacts,
          promise: { include: { coordinator: SENDER_SELECT.coordinator } },
          reports: { orderBy: { createdAt: 'asc' } },
        },
      },
    },
  });
  if (!token || token.purpose !== 'REPORT' || !token.occurrence) return undefined;
  return { token, occurrence: token.occurrence };
}

const occurrenceInclude = { commitment: withContacts, reports: { orderBy: { createdAt: 'asc' } } } as const;

/** A promise's occurrences in date order, each with its commitment and its reports. */
export const occurrencesOf = (db: Database, promiseId: string) =>
  db.activityOccurrence.findMany({ where: { promiseId }, include: occurrenceInclude, orderBy: [{ dueDate: 'asc' }, { sequence: 'asc' }] });

/** One occurrence of a promise, with its commitment and its reports; undefined when it is not the promise's. */
export async function findOccurrence(db: Database, promiseId: string, occurrenceId: string) {
  const occurrence = await db.activityOccurrence.findUnique({ where: { id: occurrenceId }, include: occurrenceInclude });
  return occurrence?.promiseId === promiseId ? occurrence : undefined;
}

export const followUpsOf = (db: Database, promiseId: string) =>
  db.followUpReport.findMany({ where: { promiseId }, orderBy: { periodIndex: 'asc' } });

/** A promise's follow-up by its number, or null when there is none (yet). */
export const findFollowUp = (db: Database, promiseId: string, periodIndex: number) =>
  db.followUpReport.findUnique({ where: { promiseId_periodIndex: { promiseId, periodIndex } } });

/** An occurrence with its commitment, and the promise with its coordinator: what a reminder names. */
export const occurrenceToRemind = (db: Database, id: string) =>
  db.activityOccurrence.findUniqueOrThrow({
    where: { id },
    include: {
      commitment: withContacts,
      promise: {
        include: {
          coordinator: true,
          // When it was signed: the activities' calendar events date from then until a report changes them.
          signingRounds: { ...LATEST_SIGNED_ROUND, select: { endedAt: true } },
        },
      },
      reports: { orderBy: { createdAt: 'desc' }, select: { createdAt: true } },
    },
  });

/**
 * The occurrence is overdue (its first overdue reminder or the escalation, whichever comes first):
 * recorded once per due date, for the audit trail and the organisation's systems.
 */
export async function recordOccurrenceOverdue(
  db: Database,
  occurrence: { id: string; promiseId: string; commitmentKey: string; sequence: number; dueDate: IsoDate },
) {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      promiseId: occurrence.promiseId,
      actor: { kind: 'SYSTEM', id: 'workflow' },
      action: 'OCCURRENCE_OVERDUE',
      details: { commitment: occurrence.commitmentKey, sequence: occurrence.sequence, dueDate: occurrence.dueDate },
      idempotencyKey: `overdue:${occurrence.id}:${occurrence.dueDate}`,
    }),
  );
}

/** A promise's occurrences still to be done whose contact has this address. */
export const openOccurrencesOf = (db: Database, promiseId: string, contactEmail: string) =>
  db.activityOccurrence.findMany({
    where: {
      promiseId,
      status: { in: ['PLANNED', 'POSTPONED'] },
      commitment: { contacts: { some: { email: { equals: contactEmail, mode: 'insensitive' } } } },
    },
  });

/** How many reminders went out about each occurrence of a promise (every due date it had), by occurrence id. */
export async function remindersSentOf(db: Database, promiseId: string): Promise<Map<string, number>> {
  const sent = await db.emailOutbox.findMany({
    where: { promiseId, status: 'SENT', idempotencyKey: { startsWith: OCCURRENCE_REMINDER_KEY_PREFIX } },
    select: { idempotencyKey: true },
  });
  const counts = new Map<string, number>();
  for (const { idempotencyKey } of sent) {
    const occurrenceId = occurrenceOfReminderKey(idempotencyKey);
    if (occurrenceId) counts.set(occurrenceId, (counts.get(occurrenceId) ?? 0) + 1);
  }
  return counts;
}
