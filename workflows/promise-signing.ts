// A promise's signing rounds, from submit to signed, back to draft or withdrawn: which round runs,
// its child workflow, a revision that supersedes it, and what follows when it ends. The entity
// (promise-entity.ts) holds the promise's state and wires the commands here.
import { CancellationScope, condition, executeChild, isCancellation, patched } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../domain/actor';
import type { PromiseRecords, RecordedRoundEnd } from '../store/recovery';
import type { RoundPlan } from '../store/signing';
import { interactive, mail, records } from './activity-stubs';
import { describeFailure, isPermanent, trySending } from './attention';
import type { ReviseCommand, SubmitCommand } from './messages';
import { PATCHES } from './patches';
import type { PromiseCore } from './promise-entity';
import { signingRoundWorkflow, type SigningRoundOutcome } from './signing-round';

type Outcome = SigningRoundOutcome | RecordedRoundEnd;

export class SigningRounds {
  private roundToRun?: { plan: RoundPlan; startedAt?: number };
  /** A round whose end the records show but whose outcome was not carried out (a fresh run). */
  private endedRound?: { plan: RoundPlan; outcome: Outcome };
  /** The round being run or closed, so that a withdrawal mid-step can close it. */
  private openRound?: RoundPlan;
  private roundScope?: CancellationScope;
  private revising = false;
  private revised = false;

  constructor(private readonly promise: PromiseCore) {}

  /** A fresh run: the round the records show, ended or still to run. */
  adopt(round: PromiseRecords['round']): void {
    if (round?.ended) this.endedRound = { plan: round.plan, outcome: round.ended };
    else if (round) this.roundToRun = { plan: round.plan, startedAt: round.startedAt };
  }

  /** The submit, once validated: the first round's records, then the main loop runs it. */
  async submit(command: SubmitCommand) {
    const { state } = this.promise;
    state.phase = 'SUBMITTING';
    const roundNumber = state.roundNumber + 1;
    let plan: RoundPlan;
    try {
      plan = await interactive.beginSigningRound({ promiseId: this.promise.promiseId, roundNumber, actor: command.actor, from: 'DRAFT' });
    } catch (error) {
      state.phase = 'IDLE';
      throw error;
    }
    state.roundNumber = roundNumber;
    state.versionNumber = plan.versionNumber;
    state.statusReason = undefined;
    this.promise.listedAs(plan.listing);
    this.promise.apply('SUBMIT');
    state.phase = 'SIGNING';
    this.roundToRun = { plan };
    return { status: state.status, roundNumber, versionNumber: state.versionNumber };
  }

  /** A new text, once validated: recorded, and the running round cancelled so that the next starts on it. */
  async revise(command: ReviseCommand) {
    const { state, promiseId } = this.promise;
    this.revising = true;
    try {
      const version = await interactive.appendRevision({
        promiseId,
        number: state.versionNumber + 1,
        content: command.content,
        actor: command.actor,
      });
      state.versionNumber = version.versionNumber;
      this.revised = true;
      this.roundScope?.cancel();
      return version;
    } finally {
      this.revising = false;
    }
  }

  /** A withdrawal: the running round stops, and the main loop carries the withdrawal out. */
  cancel(): void {
    this.roundScope?.cancel();
  }

  /** Draft and signing rounds, until the promise is signed or withdrawn. */
  async run(): Promise<void> {
    const { state } = this.promise;
    if (this.endedRound) await this.closeRound(this.endedRound.plan, this.endedRound.outcome);
    while (state.status === 'DRAFT' || state.status === 'SIGNING') {
      await condition(() => this.roundToRun !== undefined || this.promise.withdrawal !== undefined);
      const next = this.roundToRun;
      this.roundToRun = undefined;
      if (next) await this.runRound(next.plan, next.startedAt);
      if (this.promise.withdrawal) break;
    }
  }

  /** The round a withdrawal found open is closed as withdrawn. */
  async closeForWithdrawal(reason: string): Promise<void> {
    const round = this.openRound;
    if (!round) return;
    await this.promise.steps.step('Avsluta signeringsomgången', () =>
      records.closeSigningRound({ roundId: round.roundId, status: 'WITHDRAWN', reason }),
    );
    this.openRound = undefined;
  }

  private async runRound(plan: RoundPlan, startedAt?: number): Promise<void> {
    const { state, promiseId, steps } = this.promise;
    state.phase = 'SIGNING';
    this.openRound = plan;
    let outcome: SigningRoundOutcome | undefined;
    this.roundScope = new CancellationScope();
    try {
      // A revision or withdrawal accepted before the round got going skips it altogether.
      if (!this.revised && !this.promise.withdrawal) {
        const firstStartedAt = startedAt ?? Date.now();
        let attempt = 0;
        outcome = await this.roundScope.run(() =>
          steps.step(`Signeringsomgång ${plan.roundNumber}`, async () => {
            // Run again after a fault, the round carries on from the decisions on record, on its own timeline.
            const again = attempt++ > 0;
            const current = again
              ? await records.beginSigningRound({ promiseId, roundNumber: plan.roundNumber, actor: SYSTEM_ACTOR, from: 'SIGNING' })
              : plan;
            const from = again || startedAt !== undefined ? { startedAt: firstStartedAt } : {};
            return executeChild(signingRoundWorkflow, { workflowId: plan.workflowId, args: [{ plan: current, ...from }] });
          }),
        );
      }
    } catch (error) {
      if (!isCancellation(error)) throw error;
    } finally {
      this.roundScope = undefined;
    }
    // From here the round's outcome is being recorded: a new text is refused until it is.
    state.phase = 'CLOSING_ROUND';
    // A revision accepted just before the round ended still wins: let it finish, then decide.
    await condition(() => !this.revising);
    const { withdrawal } = this.promise;
    if (withdrawal) {
      await this.closeRound(plan, { kind: 'WITHDRAWN', reason: withdrawal.reason });
      return;
    }
    if (this.revised) {
      this.revised = false;
      await this.closeRound(plan, { kind: 'SUPERSEDED' });
      return;
    }
    if (!outcome) throw new Error('Signeringsomgången slutade utan utfall.');
    await this.closeRound(plan, outcome);
  }

  /** Records how a round ended and what follows: a new round, ACTIVE, or back to DRAFT. */
  private async closeRound(plan: RoundPlan, outcome: Outcome): Promise<void> {
    const { state, promiseId, steps } = this.promise;
    const close = (status: 'COMPLETED' | 'DECLINED' | 'EXPIRED' | 'SUPERSEDED' | 'WITHDRAWN', reason?: string) =>
      steps.step('Avsluta signeringsomgången', () =>
        records.closeSigningRound({ roundId: plan.roundId, status, ...(reason ? { reason } : {}) }),
      );
    state.phase = 'CLOSING_ROUND';
    if (outcome.kind === 'WITHDRAWN') {
      await close('WITHDRAWN', outcome.reason);
      this.openRound = undefined;
      return;
    }
    if (outcome.kind === 'SUPERSEDED') {
      // A new text voids what was signed: close this round and start the next on the new version.
      await close('SUPERSEDED', `Ny version ${state.versionNumber}`);
      this.openRound = undefined;
      await this.beginNextRound();
      return;
    }
    const key = `round:${promiseId}:${plan.roundNumber}`;
    if (outcome.kind === 'ALL_SIGNED') {
      await close('COMPLETED');
      await this.promise.moveTo('ALL_SIGNED', { action: 'ACTIVATED', actor: SYSTEM_ACTOR, key });
      this.openRound = undefined;
      await trySending('bekräftelser', () => mail.sendActivationConfirmations({ roundId: plan.roundId }));
      return;
    }
    const reason =
      outcome.kind === 'DECLINED'
        ? `Avböjt av ${outcome.signatoryName}: ${outcome.reason}`
        : 'Tiden för signering gick ut innan alla hade signerat.';
    const event = outcome.kind === 'DECLINED' ? 'DECLINED' : 'DEADLINE_PASSED';
    await close(outcome.kind, reason);
    await this.promise.moveTo(event, { action: `RETURNED_TO_DRAFT_${outcome.kind}`, actor: SYSTEM_ACTOR, key, reason });
    state.phase = 'IDLE';
    this.openRound = undefined;
    await trySending('besked till samordnaren', () => mail.notifyCoordinator({ roundId: plan.roundId, notice: outcome.kind, deadline: 0 }));
    if (outcome.kind === 'DECLINED' && patched(PATCHES.tellSignatoriesOfDecline)) {
      await trySending('besked till undertecknarna', () => mail.notifyRoundStopped({ roundId: plan.roundId }));
    }
  }

  /** After a revision: the next round on the new version, or back to DRAFT if a rule says it cannot start. */
  private async beginNextRound(): Promise<void> {
    const { state, promiseId, steps } = this.promise;
    const roundNumber = state.roundNumber + 1;
    let refusal: unknown;
    const plan = await steps.step('Starta nästa signeringsomgång', async () => {
      try {
        return await records.beginSigningRound({ promiseId, roundNumber, actor: SYSTEM_ACTOR, from: 'SIGNING' });
      } catch (error) {
        if (!isPermanent(error)) throw error;
        refusal = error;
        return undefined;
      }
    });
    if (plan) {
      state.roundNumber = roundNumber;
      this.promise.listedAs(plan.listing);
      this.promise.apply('REVISED');
      state.phase = 'SIGNING';
      this.roundToRun = { plan };
    } else {
      // The new text cannot go out for signing: the coordinator gets it back as a draft, with why.
      const reason = `Den nya versionen kunde inte skickas för signering: ${describeFailure(refusal)}`;
      const key = `round:${promiseId}:${roundNumber}:abandoned`;
      await this.promise.moveTo('ROUND_ABANDONED', { action: 'RETURNED_TO_DRAFT_ROUND_ABANDONED', actor: SYSTEM_ACTOR, key, reason });
      state.phase = 'IDLE';
    }
  }
}
