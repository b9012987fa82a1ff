import type { Activities } from '../../activities';
import { addDays, toIsoDate } from '../../domain/calendar';
import { signingRoundWorkflowId } from '../../domain/identifiers';
import { DEFAULT_SETTINGS } from '../../domain/default-settings';
import type { ActivitySettings } from '../../domain/settings';
import type { RoundPlan } from '../../store/signing';

// Stand-ins for the activities, for workflow tests that must force an interleaving: each records
// its calls, and a gate can hold one until the test lets it go on.

export interface Gate {
  /** Resolves when the held activity has been reached. */
  reached: Promise<void>;
  open(): void;
  /** Used by the activity: marks it reached and waits for open(). */
  pass(): Promise<void>;
}

export function gate(): Gate {
  let reach!: () => void;
  let open!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    reached,
    open,
    async pass() {
      reach();
      await opened;
    },
  };
}

export type FakeActivities = Activities & { calls: { name: keyof Activities; input: unknown }[] };
type Implementation = (input: never) => Promise<unknown>;

/** One signatory, one occurrence: the smallest promise that goes through signing into a year. */
export function fakeActivities(overrides: Partial<Record<keyof Activities, Implementation>> = {}): FakeActivities {
  const calls: FakeActivities['calls'] = [];
  const plan = (promiseId: string, roundNumber: number, versionNumber = 1): RoundPlan => ({
    roundId: `round-${roundNumber}`,
    roundNumber,
    workflowId: signingRoundWorkflowId(promiseId, roundNumber),
    versionNumber,
    documentSha256: `${versionNumber}`.repeat(64),
    settings: DEFAULT_SETTINGS.signing,
    requests: [{ requestId: `request-${roundNumber}`, signatoryName: 'Anna Andersson', group: 1 }],
    decided: {},
  });
  let version = 1;
  const defaults: Record<keyof Activities, Implementation> = {
    readPromiseRecords: async () => ({ status: 'DRAFT', versionNumber: 1, roundNumber: 0 }),
    sweepPersonalData: async () => 0,
    recordAttention: async () => undefined,
    clearAttention: async () => undefined,
    beginSigningRound: async (input: { promiseId: string; roundNumber: number }) => plan(input.promiseId, input.roundNumber, version),
    appendRevision: async (input: { number: number }) => {
      version = input.number;
      return { versionNumber: input.number, sha256: `${input.number}`.repeat(64) };
    },
    sendSigningEmail: async () => 'SENT',
    recordDecision: async () => undefined,
    moveSigningDeadline: async () => undefined,
    closeSigningRound: async () => undefined,
    recordStatus: async () => undefined,
    notifyCoordinator: async () => undefined,
    notifyRoundStopped: async () => undefined,
    sendActivationConfirmations: async () => undefined,
    notifyWithdrawal: async () => undefined,
    scheduleOccurrences: async () => yearOf(DEFAULT_SETTINGS.activities, toIsoDate(Date.now() + 60 * 86_400_000)),
    sendOccurrenceReminder: async () => 'SENT',
    askForDate: async () => undefined,
    recordActivityReport: async () => undefined,
    requestFollowUp: async () => undefined,
    publishFollowUp: async () => undefined,
    launchRenewal: async () => ({ renewalId: 'renewal' }),
    resendAfterCorrection: async () => ({ requests: 0, reminders: 0 }),
    resendOnRequest: async () => 'SKIPPED',
    applyBounce: async () => 'UNCHANGED',
    startBankIdOrder: async () => ({ started: true }),
    collectBankIdOrder: async () => ({ status: 'complete' }),
    checkBankIdSigner: async () => ({ match: true }),
    failBankIdOrder: async () => undefined,
    refuseBankIdSignature: async () => undefined,
    nextWebhookDelivery: async () => null,
    failWebhookDelivery: async () => undefined,
    deliverWebhook: async () => ({ status: 'DELIVERED' }),
  };
  const fake = Object.fromEntries(
    (Object.keys(defaults) as (keyof Activities)[]).map((name) => [
      name,
      async (input: never) => {
        calls.push({ name, input });
        return (overrides[name] ?? defaults[name])(input);
      },
    ]),
  );
  return Object.assign(fake as unknown as Activities, { calls });
}

/** A year with one occurrence due on `dueDate` (null: its date is to be set), within a period around it (or around `around`). */
export function yearOf(settings: ActivitySettings, dueDate: string | null, around = dueDate!) {
  return {
    occurrences: [{ occurrenceId: 'occurrence-1', commitmentKey: 'dialogmoten', kind: 'ACTIVITY' as const, dueDate }],
    period: { start: addDays(around, -200), end: addDays(around, 100) },
    renewal: 'NONE' as const,
    settings,
  };
}
