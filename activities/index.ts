import { createBankIdActivities, type BankIdDeps } from './bankid';
import { createBounceActivities } from './bounces';
import { createCorrectionActivities } from './corrections';
import { withFailurePolicy } from './failures';
import { createNoticeActivities } from './notices';
import { createRecordActivities } from './records';
import { createRetentionActivities } from './retention';
import { createSigningActivities } from './signing';
import { createYearActivities } from './year';
import { createWebhookActivities, type WebhookDeps } from './webhooks';

export interface ActivityDeps extends BankIdDeps {
  /** Where personal links point, e.g. https://medborgarloften.example.se */
  publicBaseUrl: string;
  /** Requests to addresses people typed (webhook endpoints), guarded (platform/outbound.ts); public addresses only by default. */
  outbound?: WebhookDeps['outbound'];
}

/** Every activity, under the failure policy of activities/failures.ts. */
export function createActivities(deps: ActivityDeps) {
  const signing = createSigningActivities(deps);
  const year = createYearActivities(deps);
  return withFailurePolicy({
    ...createRecordActivities(deps),
    ...signing,
    ...createNoticeActivities(deps),
    ...year,
    ...createCorrectionActivities(deps, { signing, year }),
    ...createRetentionActivities(deps),
    ...createBankIdActivities(deps),
    ...createWebhookActivities(deps),
    ...createBounceActivities(deps),
  });
}

export type Activities = ReturnType<typeof createActivities>;
