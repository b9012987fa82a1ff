// One signing round: requests out, reminders, a warning before the deadline, escalation to the
// coordinator, and an outcome. A child of the promise workflow, since a round has its own
// lifetime: a revision of the text cancels it and starts the next.
import { allHandlersFinished, CancellationScope, condition, isCancellation, patched, setHandler, sleep } from '@temporalio/workflow';
import { stockholmDateOf } from '../domain/calendar';
import {
  deadlineOnDate,
  reminderTimes,
  roundMilestones,
  settingsDeadline,
  type SigningMilestone,
  type SigningMilestoneKind,
} from '../domain/signing-timeline';
import { unstorableTextMessage } from '../domain/text';
import type { DecisionRecord, RoundPlan } from '../store/signing';
import { interactive, mail } from './activity-stubs';
import { wireBankIdSigning } from './bankid-signing';
import { trySending } from './attention';
import { PATCHES } from './patches';
import { onTime, reject } from './refusals';
import {
  decideUpdate,
  moveDeadlineUpdate,
  signingRoundStateQuery,
  type DecisionCommand,
  type DecisionResult,
  type MoveDeadlineCommand,
  type SigningRoundState,
} from './messages';

export interface SigningRoundInput {
  plan: RoundPlan;
  /** When the round first started, for a round run again after a fault: its deadline stays. */
  startedAt?: number;
}

export type SigningRoundOutcome =
  { kind: 'ALL_SIGNED' } | { kind: 'DECLINED'; signatoryName: string; reason: string } | { kind: 'EXPIRED' };

export async function signingRoundWorkflow({ plan, startedAt = Date.now() }: SigningRoundInput): Promise<SigningRoundOutcome> {
  let deadline = plan.deadline ?? settingsDeadline(plan.settings, startedAt);
  const groups = [...new Set(plan.requests.map((r) => r.group))].sort((a, b) => a - b);
  const state: SigningRoundState = { openGroups: [], decisions: { ...plan.decided }, remindersSent: 0, deadline };
  const inFlight = new Set<string>();
  // A decline already on record (the round run again after a fault) ends the round at once.
  const declinedBefore = plan.requests.find((r) => plan.decided?.[r.requestId] === 'DECLINED');
  let declined: { signatoryName: string; reason: string } | undefined = declinedBefore && {
    signatoryName: declinedBefore.signatoryName,
    reason: plan.declineReason ?? '',
  };
  let expired = false;
  let finished = false;
  /** A deadline move being recorded, and how many have been made (each wakes the main loop). */
  let moving = false;
  let moves = 0;

  const undecided = (group?: number) =>
    plan.requests.filter(
      (r) => state.openGroups.includes(r.group) && (group === undefined || r.group === group) && !state.decisions[r.requestId],
    );

  const closed = () => finished || !!declined || expired;

  /** The request a signatory may answer now, or the reason they may not. */
  function answerable(requestId: string, documentSha256: string) {
    const request = plan.requests.find((r) => r.requestId === requestId);
    if (!request) reject('UNKNOWN_REQUEST', 'Begäran hör inte till den här signeringsomgången.');
    if (closed()) reject('ROUND_CLOSED', 'Signeringsomgången är redan avslutad.');
    if (state.decisions[request.requestId] || inFlight.has(request.requestId)) {
      reject('ALREADY_DECIDED', 'Du har redan lämnat ditt svar i den här omgången.');
    }
    if (!state.openGroups.includes(request.group)) {
      reject('GROUP_NOT_OPEN', 'Din tur att signera har inte kommit än: tidigare grupper signerar först.');
    }
    if (documentSha256 !== plan.documentSha256) {
      reject('STALE_VERSION', 'Texten har ändrats sedan du fick den. Signera den aktuella versionen.');
    }
    return request;
  }

  /** Records a decision once, holding the round open while it is written. */
  async function record(requestId: string, decision: DecisionResult['decision'], details: Omit<DecisionRecord, 'requestId' | 'decision'>) {
    inFlight.add(requestId);
    try {
      await interactive.recordDecision({ requestId, decision, ...details });
    } finally {
      inFlight.delete(requestId);
    }
    state.decisions[requestId] = decision;
  }

  setHandler(signingRoundStateQuery, () => state);
  setHandler(
    decideUpdate,
    async (command: DecisionCommand) => {
      const request = plan.requests.find((r) => r.requestId === command.signingRequestId)!;
      const decision: DecisionResult['decision'] = command.decision === 'SIGN' ? 'SIGNED' : 'DECLINED';
      const reason = command.reason?.trim() || undefined;
      await record(request.requestId, decision, { reason, documentSha256: command.documentSha256, actor: command.actor });
      if (decision === 'DECLINED') declined ??= { signatoryName: request.signatoryName, reason: reason! };
      return { decision, remaining: plan.requests.filter((r) => !state.decisions[r.requestId]).length };
    },
    {
      validator: onTime((command: DecisionCommand) => {
        const unstorable = unstorableTextMessage(command);
        if (unstorable) reject('VALIDATION', unstorable);
        const request = answerable(command.signingRequestId, command.documentSha256);
        if (command.decision === 'SIGN' && request.method === 'BANKID') {
          reject('BANKID_REQUIRED', 'Du skriver under med BankID: välj BankID på signeringssidan.');
        }
        if (command.decision === 'DECLINE' && !command.reason?.trim()) {
          reject('REASON_REQUIRED', 'Ange ett skäl när du avböjer.');
        }
      }),
    },
  );
  const answered = (requestId: string) => !!state.decisions[requestId] || inFlight.has(requestId);
  wireBankIdSigning({ plan, answerable, closed, answered, record });

  // Everything timed, in one queue: reminders per group, the round's milestones, news of a moved deadline.
  type Timer = { at: number; kind: SigningMilestoneKind | 'REMINDER' | 'DEADLINE_MOVED'; fire: () => Promise<unknown> };
  const timers: Timer[] = [];
  const groupStartedAt = new Map<number, number>();
  const remindersFired = new Map<number, number>();

  const sendToUndecided = (kind: 'REMINDER' | 'DEADLINE_WARNING' | 'DEADLINE_MOVED', sequence: number, group?: number) =>
    Promise.all(
      undecided(group).map((r) =>
        trySending('påminnelse om signatur', () => mail.sendSigningEmail({ requestId: r.requestId, kind, sequence, deadline })),
      ),
    );

  /** A group's reminders before the deadline, from its `from`th on (those before it went out). */
  function planReminders(group: number, from: number) {
    reminderTimes(plan.settings, groupStartedAt.get(group)!, deadline).forEach((at, index) => {
      if (index < from) return;
      timers.push({
        at,
        kind: 'REMINDER',
        fire: async () => {
          remindersFired.set(group, index + 1);
          state.remindersSent += undecided(group).length;
          await sendToUndecided('REMINDER', index + 1, group);
        },
      });
    });
  }

  function planMilestone(milestone: SigningMilestone) {
    timers.push({
      at: milestone.at,
      kind: milestone.kind,
      fire: async () => {
        if (milestone.kind === 'DEADLINE') {
          // A move recorded while this timer fell due decides: the round goes on to its new deadline.
          if (moving) await condition(() => !moving);
          if (milestone.at === deadline) expired = true;
        } else if (milestone.kind === 'DEADLINE_WARNING') await sendToUndecided('DEADLINE_WARNING', 0);
        else if (undecided().length > 0) {
          await trySending('eskalering till samordnaren', () =>
            mail.notifyCoordinator({ roundId: plan.roundId, notice: 'ESCALATION', deadline }),
          );
        }
      },
    });
  }

  async function openGroup(group: number) {
    state.openGroups.push(group);
    groupStartedAt.set(group, Date.now());
    await Promise.all(
      plan.requests
        .filter((r) => r.group === group)
        .map((r) =>
          trySending('begäran om signatur', () =>
            mail.sendSigningEmail({ requestId: r.requestId, kind: 'REQUEST', sequence: 0, deadline }),
          ),
        ),
    );
    planReminders(group, 0);
  }

  setHandler(
    moveDeadlineUpdate,
    async (command: MoveDeadlineCommand) => {
      moving = true;
      try {
        await interactive.moveSigningDeadline({ roundId: plan.roundId, from: deadline, to: command.deadline, actor: command.actor });
      } finally {
        moving = false;
      }
      deadline = state.deadline = command.deadline;
      // What was planned against the old deadline is planned again: the reminders that now fit, a
      // new warning before the new deadline (if there is still time for one), the deadline itself.
      const replanned = new Set<Timer['kind']>(['REMINDER', 'DEADLINE_WARNING', 'DEADLINE']);
      timers.splice(0, timers.length, ...timers.filter((timer) => !replanned.has(timer.kind)));
      for (const milestone of roundMilestones(plan.settings, startedAt, deadline)) {
        if (milestone.kind !== 'ESCALATION' && milestone.at > Date.now()) planMilestone(milestone);
      }
      for (const group of state.openGroups) planReminders(group, remindersFired.get(group) ?? 0);
      // Those who have not answered hear of it from the main loop, so the coordinator's answer does not wait for mail.
      const sequence = ++moves;
      timers.push({ at: Date.now(), kind: 'DEADLINE_MOVED', fire: () => sendToUndecided('DEADLINE_MOVED', sequence) });
      return { deadline };
    },
    {
      validator: onTime((command: MoveDeadlineCommand) => {
        if (finished || declined || expired) reject('ROUND_CLOSED', 'Signeringsomgången är redan avslutad.');
        if (moving) reject('BUSY', 'Sista dagen flyttas just nu; försök igen om en stund.');
        // Compared by day, as the coordinator chooses it: the end of the same day is no move.
        if (stockholmDateOf(command.deadline) <= stockholmDateOf(deadline)) {
          reject('VALIDATION', `Den nya sista dagen måste vara senare än den nuvarande (${stockholmDateOf(deadline)}).`);
        }
        if (plan.periodEnd && command.deadline > deadlineOnDate(plan.periodEnd)) {
          reject('VALIDATION', `Sista dagen kan inte ligga efter löftets period, som slutar ${plan.periodEnd}.`);
        }
      }),
    },
  );

  roundMilestones(plan.settings, startedAt, deadline).forEach(planMilestone);

  // The timer for the earliest of `timers` is kept while decisions come in, and replaced only when
  // the earliest changes (a group opened, the deadline moved); before the patch, every decision
  // cancelled it and the loop started another: two history events per signature that carried nothing.
  const keepTimer = patched(PATCHES.keepRoundTimer);
  let sleeping: { at: number; fired: boolean; scope: CancellationScope } | undefined;
  function timerFor(at: number) {
    if (sleeping?.at === at) return sleeping;
    sleeping?.scope.cancel();
    const timer = { at, fired: false, scope: new CancellationScope() };
    timer.scope
      .run(() => sleep(at - Date.now()))
      .then(
        () => (timer.fired = true),
        (error: unknown) => {
          if (!isCancellation(error)) throw error;
        },
      );
    return (sleeping = timer);
  }

  let groupIndex = 0;
  await openGroup(groups[groupIndex]!);
  let outcome: SigningRoundOutcome;
  for (;;) {
    if (declined) {
      outcome = { kind: 'DECLINED', ...declined };
      break;
    }
    if (undecided().length === 0 && inFlight.size === 0) {
      if (groupIndex + 1 < groups.length) {
        await openGroup(groups[++groupIndex]!);
        continue;
      }
      outcome = { kind: 'ALL_SIGNED' };
      break;
    }
    if (expired) {
      // A BankID signature completed before the deadline is written before the round ends.
      if (inFlight.size > 0) {
        await condition(() => inFlight.size === 0);
        continue;
      }
      outcome = { kind: 'EXPIRED' };
      break;
    }
    timers.sort((a, b) => a.at - b.at);
    const next = timers[0]!;
    const decidedBefore = Object.keys(state.decisions).length;
    const movesBefore = moves;
    const wait = next.at - Date.now();
    const stirred = () => Object.keys(state.decisions).length !== decidedBefore || !!declined || moves !== movesBefore;
    let woken = false;
    if (wait > 0 && keepTimer) {
      const timer = timerFor(next.at);
      await condition(() => stirred() || timer.fired);
      // Stirred and due at once: plan again first (a move may have replaced `next`); it is due on the next turn.
      woken = stirred();
      if (timer.fired) sleeping = undefined;
    } else if (wait > 0) woken = await condition(stirred, wait);
    if (!woken) {
      timers.shift();
      await next.fire();
    }
  }
  finished = true;
  await condition(() => allHandlersFinished() && inFlight.size === 0);
  return outcome;
}
