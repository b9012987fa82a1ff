import type { Actor } from '../domain/actor';
import { addDays, midnightUtc, utcDateOf, type IsoDate } from '../domain/calendar';
import type { ActivityReport } from '../domain/requests';
import type { OccurrenceReminderKind } from '../domain/schedule';
import {
  createFollowUpDraft,
  createRenewal,
  occurrenceToRemind,
  publishFollowUp,
  recordActivityReport,
  scheduleOccurrences,
} from '../store/year';
import { promiseWithCoordinator } from '../store/promises';
import type { ActivityDeps } from './index';
import { calendarInvite } from './calendar-invite';
import { emails } from './email-templates';
import { addressTag, sendOnce } from './outbox';
import { tellCoordinatorOfUndeliverable } from './undeliverable';

// Side effects of the year after signing. Every e-mail key names the occurrence's due date, so a
// postponed occurrence gets a fresh set of reminders and a retried activity none twice.

/** Report links stay usable for a season after the period, for late reports. */
const REPORT_LINK_GRACE_DAYS = 90;

/** The start of the outbox keys of an occurrence's reminders for one due date. */
export const reminderKeyPrefix = (occurrenceId: string, dueDate: IsoDate) => `occurrence:${occurrenceId}:${dueDate}:`;
const reminderKey = (occurrenceId: string, dueDate: IsoDate, kind: OccurrenceReminderKind, sequence: number) =>
  `${reminderKeyPrefix(occurrenceId, dueDate)}${kind}:${sequence}`;
const REMINDER_KEY = /^occurrence:[^:]+:\d{4}-\d{2}-\d{2}:(BEFORE|DUE|OVERDUE):(\d+)$/;

/** Which reminder to the contact an outbox key stands for; undefined for an escalation or a resend. */
export function contactReminderOfKey(key: string): { kind: OccurrenceReminderKind; sequence: number } | undefined {
  const match = REMINDER_KEY.exec(key);
  return match ? { kind: match[1] as OccurrenceReminderKind, sequence: Number(match[2]) } : undefined;
}

export function createYearActivities(deps: ActivityDeps) {
  const { db, publicBaseUrl } = deps;

  return {
    async scheduleOccurrences(input: { promiseId: string }) {
      return scheduleOccurrences(db, input.promiseId);
    },

    /** A reminder to the occurrence's contact (the coordinator where none is named), or an escalation. */
    async sendOccurrenceReminder(input: {
      occurrenceId: string;
      dueDate: IsoDate;
      kind: OccurrenceReminderKind;
      sequence: number;
      scheduledFor: number;
      /** Sent again after the contact's address was corrected: one e-mail per address it goes to. */
      resent?: boolean;
    }) {
      const occurrence = await occurrenceToRemind(db, input.occurrenceId);
      const { commitment, promise } = occurrence;
      const contact = commitment.contactEmail
        ? { name: commitment.contactName ?? commitment.contactEmail, email: commitment.contactEmail }
        : { name: promise.coordinator.name, email: promise.coordinator.email };
      const baseKey = reminderKey(occurrence.id, input.dueDate, input.kind, input.sequence);
      const key = input.resent ? `${baseKey}:to:${addressTag(contact.email)}` : baseKey;
      if (input.kind === 'ESCALATION') {
        return sendOnce(deps, {
          idempotencyKey: key,
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
              responsible: `${contact.name} <${contact.email}>`,
            }),
        });
      }
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
          expiresAt: midnightUtc(addDays(utcDateOf(promise.periodEnd), REPORT_LINK_GRACE_DAYS)),
        },
        compose: (token) => ({
          ...emails.activityReminder({
            recipientName: contact.name,
            commitmentText: commitment.text,
            promiseTitle: promise.title,
            dueDate: input.dueDate,
            kind: input.kind as 'BEFORE' | 'DUE' | 'OVERDUE',
            sequence: input.sequence,
            progressReport: occurrence.kind === 'PROGRESS_REPORT',
            link: `${publicBaseUrl}/report/${token}`,
          }),
          attachments: [
            {
              filename: 'aktivitet.ics',
              contentType: 'text/calendar; charset=utf-8',
              content: calendarInvite({
                uid: occurrence.id,
                date: input.dueDate,
                summary: commitment.text,
                description: `Medborgarlöftet ${promise.title}`,
                stamp: new Date(input.scheduledFor),
              }),
            },
          ],
        }),
      });
      if (result === 'UNDELIVERABLE') {
        await tellCoordinatorOfUndeliverable(deps, {
          promiseId: promise.id,
          address: contact.email,
          who: `${contact.name} (kontaktperson för "${commitment.text}")`,
          effect: 'Påminnelsen om aktiviteten nådde inte fram. Andra påminnelser och resten av året går som planerat.',
        });
      }
      return result;
    },

    async recordActivityReport(input: { reportId: string; occurrenceId: string; report: ActivityReport; correctsReportId?: string; actor: Actor }) {
      await recordActivityReport(db, input);
    },

    /** Drafts follow-up `index` and asks the coordinator (sequence 0), or reminds again (1, 2, …). */
    async requestFollowUp(input: { promiseId: string; index: number; start: IsoDate; end: IsoDate; final: boolean; sequence: number; scheduledFor: number }) {
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

    async publishFollowUp(input: { promiseId: string; index: number; narrative: string; safetySurvey?: string; crimeStatistics?: string; actor: Actor }) {
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
