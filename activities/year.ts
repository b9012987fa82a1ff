import { occurrenceReminderKeyPrefix } from '../domain/identifiers';
import type { Actor } from '../domain/actor';
import { sameAddress } from '../domain/addresses';
import { addDays, midnightUtc, stockholmDateOf, utcDateOf, type IsoDate } from '../domain/calendar';
import { findCommitment, stepsOf, storedContent } from '../domain/stored-content';
import { durationInWords } from '../domain/durations';
import { dateRequestKey } from '../domain/identifiers';
import type { ActivityReport } from '../domain/requests';
import type { OccurrenceReminderKind } from '../domain/schedule';
import { PromiseSettingsSchema } from '../domain/settings';
import {
  createFollowUpDraft,
  createRenewal,
  occurrenceToRemind,
  publishFollowUp,
  recordActivityReport,
  recordOccurrenceOverdue,
  scheduleOccurrences,
} from '../store/year';
import { currentVersionOf, promiseWithCoordinator } from '../store/promises';

import type { ActivityDeps } from './index';
import { emails } from './email-templates';
import { sendOnce, tryEach, type SendResult } from './outbox';
import { addressTag } from '../domain/crypto';
import { activityEntry, contactCalendarPath, icalendarOf } from '../domain/icalendar';
import { reminderUndeliverable } from './undeliverable';

// Side effects of the year after signing. Every e-mail key names the occurrence's due date, so a
// postponed occurrence gets a fresh set of reminders and a retried activity none twice.

/** Report links stay usable for a season after the period, for late reports. */
const REPORT_LINK_GRACE_DAYS = 90;
const reportLinkExpiry = (promise: { periodEnd: Date }) => midnightUtc(addDays(utcDateOf(promise.periodEnd), REPORT_LINK_GRACE_DAYS));

/** The start of the outbox keys of an occurrence's reminders for one due date. */
export const reminderKeyPrefix = (occurrenceId: string, dueDate: IsoDate) => occurrenceReminderKeyPrefix(occurrenceId, dueDate);
const reminderKey = (occurrenceId: string, dueDate: IsoDate, kind: OccurrenceReminderKind, sequence: number) =>
  `${reminderKeyPrefix(occurrenceId, dueDate)}${kind}:${sequence}`;
const REMINDER_KEY = /^occurrence:[^:]+:\d{4}-\d{2}-\d{2}:(BEFORE|DUE|OVERDUE):(\d+)(?::to:[0-9a-f]{16})?$/;

/** Which reminder to a contact an outbox key stands for (to any of them, resent or not); undefined for an escalation. */
export function contactReminderOfKey(key: string): { kind: OccurrenceReminderKind; sequence: number } | undefined {
  const match = REMINDER_KEY.exec(key);
  return match ? { kind: match[1] as OccurrenceReminderKind, sequence: Number(match[2]) } : undefined;
}

export function createYearActivities(deps: ActivityDeps) {
  const { db, publicBaseUrl } = deps;

  type Occurrence = Awaited<ReturnType<typeof occurrenceToRemind>>;

  /** One contact's reminder, with their own report link; a refused address is told to the coordinator. */
  async function remindOne(
    occurrence: Occurrence,
    contact: { name: string; email: string },
    key: string,
    input: { dueDate: IsoDate; kind: OccurrenceReminderKind; sequence: number; scheduledFor: number },
  ): Promise<SendResult> {
    const { commitment, promise } = occurrence;
    const result = await sendOnce(deps, {
      idempotencyKey: key,
      promiseId: promise.id,
      to: contact.email,
      toName: contact.name,
      purpose: `ACTIVITY_${input.kind}`,
      scheduledFor: input.scheduledFor,
      link: {
        purpose: 'REPORT',
        occurrenceId: occurrence.id,
        expiresAt: reportLinkExpiry(promise),
      },
      compose: (token) => ({
        ...emails.activityReminder({
          recipientName: contact.name,
          commitmentText: commitment.text,
          promiseTitle: promise.title,
          dueDate: input.dueDate,
          // A due-date reminder moved off a day off goes out before the day: it says "soon", not "today".
          kind:
            input.kind === 'DUE' && stockholmDateOf(input.scheduledFor) < input.dueDate
              ? 'BEFORE'
              : (input.kind as 'BEFORE' | 'DUE' | 'OVERDUE'),
          sequence: input.sequence,
          progressReport: occurrence.kind === 'PROGRESS_REPORT',
          link: `${publicBaseUrl}/report/${token}`,
          calendarLink: `${publicBaseUrl}${contactCalendarPath(deps.linkSecret, promise.id, contact.email)}`,
        }),
        attachments: [
          {
            filename: 'aktivitet.ics',
            contentType: 'text/calendar; charset=utf-8',
            content: icalendarOf({
              name: commitment.text,
              sentAt: new Date(input.scheduledFor),
              entries: [
                activityEntry({
                  occurrenceId: occurrence.id,
                  date: input.dueDate,
                  commitmentText: commitment.text,
                  promise: { ...promise, signedAt: promise.signingRounds[0]?.endedAt ?? promise.createdAt },
                  status: occurrence.status,
                  reportTimes: occurrence.reports.map((r) => r.createdAt),
                  url: `${publicBaseUrl}/loften/${promise.id}`,
                }),
              ],
            }),
          },
        ],
      }),
    });
    if (result === 'UNDELIVERABLE') await reminderUndeliverable(deps, { promiseId: promise.id, contact, commitmentText: commitment.text });
    return result;
  }

  return {
    async scheduleOccurrences(input: { promiseId: string }) {
      return scheduleOccurrences(db, input.promiseId);
    },

    /**
     * A reminder to each of the occurrence's contacts (the coordinator where none is named), each
     * with a report link of their own (every contact tried: tryEach), or an escalation to the
     * coordinator.
     */
    async sendOccurrenceReminder(input: {
      occurrenceId: string;
      dueDate: IsoDate;
      kind: OccurrenceReminderKind;
      sequence: number;
      scheduledFor: number;
      /** Sent again to this address only, after a contact's address was corrected to it. */
      resentTo?: string;
    }) {
      const occurrence = await occurrenceToRemind(db, input.occurrenceId);
      const { commitment, promise } = occurrence;
      const recipients =
        commitment.contacts.length > 0
          ? commitment.contacts.map((c) => ({ name: c.name, email: c.email }))
          : [{ name: promise.coordinator.name, email: promise.coordinator.email }];
      const baseKey = reminderKey(occurrence.id, input.dueDate, input.kind, input.sequence);
      if (input.kind === 'ESCALATION' || (input.kind === 'OVERDUE' && input.sequence === 1)) {
        const { sequence, promiseId } = occurrence;
        await recordOccurrenceOverdue(db, {
          id: occurrence.id,
          promiseId,
          commitmentKey: commitment.key,
          sequence,
          dueDate: input.dueDate,
        });
      }
      if (input.kind === 'ESCALATION') {
        return [
          await sendOnce(deps, {
            idempotencyKey: baseKey,
            promiseId: promise.id,
            to: promise.coordinator.email,
            toName: promise.coordinator.name,
            purpose: 'ACTIVITY_ESCALATION',
            scheduledFor: input.scheduledFor,
            compose: () =>
              emails.activityEscalation({
                promiseTitle: promise.title,
                commitmentText: commitment.text,
                dueDate: input.dueDate,
                responsible: recipients.map((r) => `${r.name} <${r.email}>`).join(', '),
              }),
          }),
        ];
      }
      // The first contact keeps the key a commitment's one contact always had; every other one, and
      // a resend to a corrected address, is keyed on the address it goes to.
      const keyFor = (index: number, email: string) =>
        index > 0 || input.resentTo ? `${baseKey}:to:${addressTag(deps.linkSecret, email)}` : baseKey;
      const targets = recipients
        .map((recipient, index) => ({ recipient, key: keyFor(index, recipient.email) }))
        .filter(({ recipient }) => !input.resentTo || sameAddress(recipient.email, input.resentTo));
      return tryEach(targets, ({ recipient, key }) => remindOne(occurrence, recipient, key, input));
    },

    /**
     * Asks the coordinator for the date of a one-off whose date was to be set (sequence 0), or
     * reminds again (1, 2, …), with a report link on which the date is set.
     */
    async askForDate(input: { occurrenceId: string; sequence: number; last?: boolean; scheduledFor: number }) {
      const occurrence = await occurrenceToRemind(db, input.occurrenceId);
      const { commitment, promise } = occurrence;
      const content = storedContent((await currentVersionOf(db, promise)).content);
      const shape = findCommitment(content, commitment.key)?.shape;
      const undated = shape && stepsOf(shape).find((step) => step.kind === 'ONE_OFF' && step.dateToBeSet);
      await sendOnce(deps, {
        idempotencyKey: dateRequestKey(occurrence.id, input.sequence),
        promiseId: promise.id,
        to: promise.coordinator.email,
        toName: promise.coordinator.name,
        purpose: input.last ? 'DATE_TO_BE_SET_LAST' : input.sequence === 0 ? 'DATE_TO_BE_SET' : 'DATE_TO_BE_SET_REMINDER',
        scheduledFor: input.scheduledFor,
        link: { purpose: 'REPORT', occurrenceId: occurrence.id, expiresAt: reportLinkExpiry(promise) },
        compose: (token) =>
          emails.dateToBeSet({
            recipientName: promise.coordinator.name,
            promiseTitle: promise.title,
            commitmentText: commitment.text,
            when: undated?.kind === 'ONE_OFF' ? undated.dateToBeSet?.when : undefined,
            sequence: input.sequence,
            last: input.last ?? false,
            interval: durationInWords(PromiseSettingsSchema.parse(promise.settings).activities.dateRequestInterval),
            link: `${publicBaseUrl}/report/${token}`,
          }),
      });
    },

    async recordActivityReport(input: {
      reportId: string;
      occurrenceId: string;
      report: ActivityReport;
      correctsReportId?: string;
      actor: Actor;
    }) {
      const { plannedSteps } = await recordActivityReport(db, input);
      return { plannedSteps };
    },

    /** Drafts follow-up `index` and asks the coordinator (sequence 0), or reminds again (1, 2, …). */
    async requestFollowUp(input: {
      promiseId: string;
      index: number;
      start: IsoDate;
      end: IsoDate;
      final: boolean;
      sequence: number;
      scheduledFor: number;
    }) {
      await createFollowUpDraft(db, input);
      const promise = await promiseWithCoordinator(db, input.promiseId);
      await sendOnce(deps, {
        idempotencyKey: `follow-up:${input.promiseId}:${input.index}:${input.sequence}`,
        promiseId: input.promiseId,
        to: promise.coordinator.email,
        toName: promise.coordinator.name,
        purpose: input.sequence === 0 ? 'FOLLOW_UP_DUE' : 'FOLLOW_UP_REMINDER',
        scheduledFor: input.scheduledFor,
        compose: () => emails.followUpDue({ promiseTitle: promise.title, ...input }),
      });
    },

    async publishFollowUp(input: {
      promiseId: string;
      index: number;
      narrative: string;
      safetySurvey?: string;
      crimeStatistics?: string;
      actor: Actor;
    }) {
      await publishFollowUp(db, input);
    },

    /** Creates the next period's draft (once) and tells the coordinator. */
    async launchRenewal(input: { promiseId: string; actor: Actor; scheduledFor: number }) {
      const { renewal, carriedOver } = await createRenewal(db, input);
      const promise = await promiseWithCoordinator(db, input.promiseId);
      await sendOnce(deps, {
        idempotencyKey: `renewal:${input.promiseId}`,
        promiseId: input.promiseId,
        to: promise.coordinator.email,
        toName: promise.coordinator.name,
        purpose: 'RENEWAL_CREATED',
        scheduledFor: input.scheduledFor,
        compose: () => emails.renewalCreated({ promiseTitle: promise.title, renewalTitle: renewal.title, carriedOver }),
      });
      return { renewalId: renewal.id };
    },
  };
}
