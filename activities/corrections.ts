import { utcDateOf } from '../domain/calendar';
import { latestSentTo } from '../store/outbox';
import { waitingRequestsTo } from '../store/signing';
import { openOccurrencesOf } from '../store/year';
import type { ActivityDeps } from './index';
import type { createSigningActivities } from './signing';
import { contactReminderOfKey, reminderKeyPrefix, type createYearActivities } from './year';

// After the coordinator corrected an address: what should have reached it goes out again, to the
// new address. A signing request still waiting for an answer is sent again (with a new link); for
// an open activity, the latest reminder that went to the old address. Each resend is keyed on the
// address it goes to, so the same correction twice sends once.

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
  };
}
