import { createActivities } from '../../activities';
import type { Engine } from './engine';
import { eventually } from './eventually';

/**
 * Sends an occurrence's first reminder now, as the year would, and returns the token of the
 * personal report link it carried.
 */
export async function reportTokenFor(engine: Engine, occurrence: { id: string; dueDate: string | Date | null }): Promise<string> {
  const before = engine.mailbox.messages.length;
  const dueDate = occurrence.dueDate instanceof Date ? occurrence.dueDate.toISOString().slice(0, 10) : occurrence.dueDate!;
  await createActivities(engine.activityDeps).sendOccurrenceReminder({
    occurrenceId: occurrence.id,
    dueDate,
    kind: 'BEFORE',
    sequence: 0,
    scheduledFor: Date.now(),
  });
  return eventually(() => {
    const mail = engine.mailbox.messages.slice(before).find((m) => /\/report\/[A-Za-z0-9_-]{43}/.test(m.text));
    expect(mail).toBeDefined();
    return /\/report\/([A-Za-z0-9_-]{43})/.exec(mail!.text)![1]!;
  });
}
