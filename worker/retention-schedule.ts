import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { RetentionInput } from '../workflows/retention';

// The Temporal Schedule that runs retention every night. Every worker's start-up makes sure it
// exists and says what this configuration says (create, or update when it is there), so changing a
// retention setting and restarting the workers is all an operator does.

export const RETENTION_SCHEDULE_ID = 'gallring-personuppgifter';

/** 03:15 Stockholm time, when little else runs; a run missed while the cluster was down is made up within a day. */
const NIGHTLY = { calendars: [{ hour: 3, minute: 15 }], timezone: 'Europe/Stockholm' };

export async function ensureRetentionSchedule(client: Client, taskQueue: string, input: RetentionInput): Promise<'created' | 'updated'> {
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'retentionWorkflow',
    workflowId: 'gallring',
    taskQueue,
    args: [input],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' as const };
  try {
    await client.schedule.create({ scheduleId: RETENTION_SCHEDULE_ID, spec: NIGHTLY, action, policies });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(RETENTION_SCHEDULE_ID).update((previous) => ({ ...previous, spec: NIGHTLY, action, policies }));
    return 'updated';
  }
}
