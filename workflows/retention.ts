import { SWEEPS, type RetentionPolicy, type Sweep } from '../domain/retention';
import type { SessionPolicy } from '../domain/sessions';
import { retention } from './activity-stubs';

export interface RetentionInput {
  policy: RetentionPolicy;
  sessionPolicy: SessionPolicy;
}

/**
 * The nightly retention run, started by a Temporal Schedule (worker/retention-schedule.ts): every
 * sweep in turn, all measured from the moment the run started. Returns how many each changed.
 */
export async function retentionWorkflow(input: RetentionInput): Promise<Record<Sweep, number>> {
  const now = Date.now();
  const swept: Partial<Record<Sweep, number>> = {};
  for (const sweep of SWEEPS) swept[sweep] = await retention.sweepPersonalData({ sweep, now, ...input });
  return swept as Record<Sweep, number>;
}
