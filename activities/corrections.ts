import { utcDateOf } from '../domain/calendar';
import { latestSentTo } from '../store/outbox';
import { waitingRequest, waitingRequestsTo } from '../store/signing';
import { openOccurrencesOf } from '../store/year';
import type { ActivityDeps } from './index';
import type { createSigningActivities } from './signing';
import { contactReminderOfKey, reminderKeyPrefix, type createYearActivities } from './year';

// What goes out again because the coordinator asked. After a corrected address: what should have
// reached it, to the new address: a signing request still waiting for an answer (with a new link);
// for an open activity, the latest reminder that went to the old address. Each such resend is keyed
// on the address it goes to, so the same correction twice sends once. And a signing request sent
// again on request (the signatory cannot find it): keyed on the request to resend, so a retried
// request sends once.

export function createCorrectionActivities(
  { db }: ActivityDeps,
  sending: { signing: ReturnType<typeof createSigningActivities>; year: ReturnType<typeof createYearActivities> },
) {
  return {
    async resendAfterCorrection(input: { promiseId: string; previous: string; email: string; scheduledFor: number }) {
      const requests = await waitingRequestsTo(db, input.promiseId, input.email);
      for (const request of requests) {
        const deadline = request.tokens[0]?.expiresAt;
        if (!deadline) continue; // never sent: it goes out to the new address when its group opens
        await sending.signing.sendSigningEmail({ requestId: request.id, kind: 'RESEND', sequence: 0, deadline: deadline.getTime() });
      }

      const occurrences = await openOccurrencesOf(db, input.promiseId, input.email);
      let reminders = 0;
      for (const occurrence of occurrences) {
        if (!occurrence.dueDate) continue; // no date yet: nothing has gone to the contacts
        const dueDate = utcDateOf(occurrence.dueDate);
        const latest = await latestSentTo(db, reminderKeyPrefix(occurrence.id, dueDate), input.previous);
        const reminder = latest && contactReminderOfKey(latest.idempotencyKey);
        if (!reminder) continue;
        await sending.year.sendOccurrenceReminder({
          occurrenceId: occurrence.id,
          dueDate,
          ...reminder,
          scheduledFor: input.scheduledFor,
          resentTo: input.email,
        });
        reminders += 1;
      }
      return { requests: requests.length, reminders };
    },

    async resendOnRequest(input: { promiseId: string; requestId: string; resendId: string }) {
      const request = await waitingRequest(db, input.promiseId, input.requestId);
      const deadline = request?.tokens[0]?.expiresAt;
      // Answered, voided or never sent meanwhile: there is nothing to send again.
      if (!request || !deadline) return 'SKIPPED';
      return sending.signing.sendSigningEmail({
        requestId: request.id,
        kind: 'RESEND',
        sequence: 0,
        deadline: deadline.getTime(),
        askedFor: input.resendId,
      });
    },
  };
}
