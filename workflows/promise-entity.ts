// The state of one promise period and everything that changes it: the commands (Updates), their
// validators, and the main loop through signing and the year. The workflow function
// (promise-lifecycle.ts) only wires handlers to these methods.
//
// Rules kept here: the status moves only along the lifecycle table (domain/lifecycle.ts); every
// validator sees the phase, closing phases included; handlers that change the text or the year run
// one at a time (a mutex); a step that fails for good waits for a resume or a withdrawal instead of
// failing the workflow; updates count toward continue-as-new like timers do.
import { Mutex } from 'async-mutex';
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  executeChild,
  isCancellation,
  patched,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import type { AuditAction } from '../domain/audit-actions';
import {
  canApply,
  isInYear,
  nextStatus,
  NOT_IN_YEAR_SV,
  STATUS_LABELS_SV,
  transitionRefusal,
  type LifecycleEvent,
  type PromiseStatus,
} from '../domain/lifecycle';
import { stockholmDateOf } from '../domain/calendar';
import { reportProblems } from '../domain/report-rules';
import { periodEndedRefusal } from '../domain/schedule';
import { changedSearchAttributes, type PromiseListing } from '../domain/search-attributes';
import { unstorableTextMessage } from '../domain/text';
import { describeProblems } from '../domain/problems';
import type { RecordedRoundEnd } from '../store/recovery';
import type { RoundPlan } from '../store/signing';
import { interactive, mail, records } from './activity-stubs';
import { describeFailure, isPermanent, StepRunner, trySending, WithdrawalRequested } from './attention';
import type {
  AddressCorrectedEvent,
  EmailBouncedEvent,
  ResendRequestedEvent,
  LaunchRenewalCommand,
  PromiseWorkflowState,
  PublishFollowUpCommand,
  ReportCommand,
  ResumeCommand,
  ReviseCommand,
  SubmitCommand,
  WithdrawCommand,
} from './messages';
import { reject } from './refusals';
import { signingRoundWorkflow, type SigningRoundOutcome } from './signing-round';
import {
  addOccurrences,
  adoptYear,
  applyReport,
  markDateRequested,
  markFollowUpRequested,
  markReminderSent,
  nextEvent,
  startYear,
  type FollowUpState,
  type OccurrenceState,
  type YearState,
} from './year-plan';

export interface PromiseLifecycleInput {
  promiseId: string;
  /** What a previous run handed over through continue-as-new: plain JSON. */
  carried?: { state: PromiseWorkflowState; year: YearState };
  /** Continue as new past this many history events; otherwise when Temporal suggests it. */
  historyLimit?: number;
}

/** Behaviour changes that running promises must not see mid-history (see the README's deploys). */
export const PATCHES = {
  /** A fresh run reads the records first, so that one started again carries on from them. */
  readRecordsOnStart: 'read-records-on-start',
  /** Every change to the year counts toward continue-as-new, not only the year's own timers. */
  handOverAfterAnyChange: 'hand-over-after-any-change',
  /** A decline tells the other signatories that the round stopped. */
  tellSignatoriesOfDecline: 'tell-signatories-of-decline',
  /** Status, attention and whose promise it is are kept in search attributes. */
  searchAttributes: 'search-attributes',
} as const;

type Outcome = SigningRoundOutcome | RecordedRoundEnd;

export class PromiseEntity {
  private readonly promiseId: string;
  private readonly state: PromiseWorkflowState;
  private year?: YearState;
  /** Bumped by every handler that changes the year, so the timer loop plans again. */
  private yearChanges = 0;
  private renewalInFlight?: Promise<{ renewalId: string }>;
  private roundToRun?: { plan: RoundPlan; startedAt?: number };
  /** A round whose end the records show but whose outcome was not carried out (a fresh run). */
  private endedRound?: { plan: RoundPlan; outcome: Outcome };
  /** The round being run or closed, so that a withdrawal mid-step can close it. */
  private openRound?: RoundPlan;
  private roundScope?: CancellationScope;
  private revising = false;
  /** Resends the coordinator asked for in this run, by id. */
  private readonly resendsAsked = new Set<string>();
  private revised = false;
  private withdrawal?: WithdrawCommand;
  private ready: boolean;
  private readonly oneAtATime = new Mutex();
  private readonly steps: StepRunner;
  /** Whose promise and for when, once an activity has said (a run carried over keeps its attributes). */
  private listing?: PromiseListing;

  constructor(private readonly input: PromiseLifecycleInput) {
    this.promiseId = input.promiseId;
    this.state = input.carried?.state ?? { promiseId: input.promiseId, status: 'DRAFT', versionNumber: 0, roundNumber: 0 };
    this.year = input.carried?.year;
    this.ready = input.carried !== undefined || !patched(PATCHES.readRecordsOnStart);
    this.state.phase = !this.ready ? 'STARTING' : this.year ? 'YEAR' : 'IDLE';
    // A withdrawal ends a wait for attention, except the withdrawal's own steps.
    this.steps = new StepRunner(
      this.promiseId,
      this.state,
      () => this.withdrawal !== undefined && this.state.phase !== 'WITHDRAWING',
      () => this.list(),
    );
  }

  /** Brings the search attributes in step with the state: only what changed, so most calls add nothing. */
  private list(): void {
    if (!patched(PATCHES.searchAttributes)) return;
    const wanted = { status: this.state.status, needsAttention: this.state.attention !== undefined, listing: this.listing };
    const changes = changedSearchAttributes(workflowInfo().typedSearchAttributes, wanted);
    if (changes.length > 0) upsertSearchAttributes(changes);
  }

  view(): PromiseWorkflowState {
    const event = this.year && nextEvent(this.year);
    if (!event) return this.state;
    const what =
      event.type === 'REMINDER'
        ? `${event.reminder.kind}:${event.reminder.sequence} ${event.occurrence.commitmentKey} ${event.dueDate}`
        : event.type === 'DATE_REQUEST'
          ? `DATE_REQUEST:${event.sequence} ${event.occurrence.commitmentKey}`
          : event.type;
    return { ...this.state, next: { what, at: new Date(event.at).toISOString() } };
  }

  // --- Validators: synchronous, on the state as it is now. ---

  private requireStorable(command: object): void {
    const unstorable = unstorableTextMessage(command);
    if (unstorable) reject('VALIDATION', unstorable);
  }

  private requireTransition(event: LifecycleEvent): void {
    if (!canApply(this.state.status, event) || this.withdrawal) reject('INVALID_STATE', transitionRefusal(this.state.status, event));
  }

  validateSubmit(command: SubmitCommand): void {
    this.requireStorable(command);
    if (this.state.phase === 'STARTING') return; // checked again once the records are read
    this.requireTransition('SUBMIT');
    if (this.state.phase !== 'IDLE') reject('BUSY', 'Löftet skickas redan för signering.');
  }

  validateRevise(command: ReviseCommand): void {
    this.requireStorable(command);
    const ended = periodEndedRefusal(command.content.period, Date.now());
    if (ended) reject('INVALID_STATE', ended);
    this.requireRevisable();
  }

  /** What another handler or the main loop may change while a revision waits for its turn. */
  private requireRevisable(): void {
    this.requireTransition('REVISED');
    // A draft is edited by the API directly; the workflow revises only a round in progress.
    if (this.state.status !== 'SIGNING') reject('INVALID_STATE', 'Texten kan bara ändras här medan signeringen pågår.');
    if (this.state.phase === 'CLOSING_ROUND')
      reject('INVALID_STATE', 'Signeringsomgången har just avslutats; texten kan inte ändras i den längre.');
    if (this.state.phase !== 'SIGNING') reject('BUSY', 'Signeringen håller på att starta; försök igen om en stund.');
  }

  validateWithdraw(command: WithdrawCommand): void {
    this.requireStorable(command);
    if (this.state.phase === 'STARTING') return;
    this.requireTransition('WITHDRAW');
  }

  private requireYear(): YearState {
    if (this.state.phase === 'HANDING_OVER' || this.state.phase === 'STARTING_YEAR' || this.state.phase === 'STARTING') {
      reject('BUSY', 'Löftet går just nu från ett steg till nästa; försök igen om en stund.');
    }
    if (!this.year || this.withdrawal || !isInYear(this.state.status)) reject('INVALID_STATE', NOT_IN_YEAR_SV);
    return this.year!;
  }

  /** The occurrence a report is for, if it may be reported now. */
  private reportable(command: ReportCommand): OccurrenceState {
    this.requireStorable(command);
    const occurrence = this.requireYear().occurrences.find((o) => o.occurrenceId === command.occurrenceId);
    if (!occurrence) return reject('NOT_FOUND', 'Aktiviteten hör inte till det här löftet.');
    if (!occurrence.open && !command.correctsReportId) {
      reject('ALREADY_REPORTED', 'Aktiviteten är redan rapporterad. Skicka en rättelse som pekar på den rapport som ska rättas.');
    }
    return occurrence;
  }

  validateReport(command: ReportCommand): void {
    const occurrence = this.reportable(command);
    const problems = reportProblems(command.report, occurrence, this.requireYear().period, stockholmDateOf(Date.now()));
    if (problems.length > 0) reject('VALIDATION', `Rapporten kan inte tas emot: ${describeProblems(problems)}`);
  }

  /** The follow-up to publish, if it may be published now. */
  private publishable(command: PublishFollowUpCommand): FollowUpState {
    this.requireStorable(command);
    const followUp = this.requireYear().followUps.find((f) => f.index === command.index);
    if (!followUp) return reject('NOT_FOUND', `Uppföljning ${command.index} finns inte.`);
    if (followUp.status !== 'DRAFT') {
      reject(
        'INVALID_STATE',
        followUp.status === 'PUBLISHED' ? 'Uppföljningen är redan publicerad.' : 'Uppföljningsperioden är inte slut än.',
      );
    }
    return followUp;
  }

  validatePublishFollowUp(command: PublishFollowUpCommand): void {
    this.publishable(command);
  }

  validateLaunchRenewal(command: LaunchRenewalCommand): void {
    this.requireStorable(command);
    this.requireYear();
  }

  validateResume(command: ResumeCommand): void {
    this.requireStorable(command);
    if (this.state.phase !== 'STARTING' && !this.state.attention) reject('INVALID_STATE', 'Löftet väntar inte på någon åtgärd.');
  }

  // --- Handlers. ---

  private async whenReady(): Promise<void> {
    if (!this.ready) await condition(() => this.ready);
  }

  async submit(command: SubmitCommand) {
    await this.whenReady();
    return this.oneAtATime.runExclusive(async () => {
      this.validateSubmit(command);
      this.state.phase = 'SUBMITTING';
      const roundNumber = this.state.roundNumber + 1;
      let plan: RoundPlan;
      try {
        plan = await interactive.beginSigningRound({ promiseId: this.promiseId, roundNumber, actor: command.actor, from: 'DRAFT' });
      } catch (error) {
        this.state.phase = 'IDLE';
        throw error;
      }
      this.state.roundNumber = roundNumber;
      this.state.versionNumber = plan.versionNumber;
      this.state.statusReason = undefined;
      this.listing = plan.listing ?? this.listing;
      this.apply('SUBMIT');
      this.state.phase = 'SIGNING';
      this.roundToRun = { plan };
      return { status: this.state.status, roundNumber, versionNumber: this.state.versionNumber };
    });
  }

  async revise(command: ReviseCommand) {
    return this.oneAtATime.runExclusive(async () => {
      this.requireRevisable(); // again: an earlier handler or the main loop may have moved on
      this.revising = true;
      try {
        const { promiseId } = this;
        const version = await interactive.appendRevision({
          promiseId,
          number: this.state.versionNumber + 1,
          content: command.content,
          actor: command.actor,
        });
        this.state.versionNumber = version.versionNumber;
        this.revised = true;
        this.roundScope?.cancel();
        return version;
      } finally {
        this.revising = false;
      }
    });
  }

  async withdraw(command: WithdrawCommand) {
    await this.whenReady();
    this.validateWithdraw(command);
    // The main loop carries it out between steps, so a withdrawal never interleaves with one.
    this.withdrawal = command;
    this.roundScope?.cancel();
    await condition(() => this.state.status === 'WITHDRAWN');
    return { status: this.state.status };
  }

  async report(command: ReportCommand) {
    return this.oneAtATime.runExclusive(async () => {
      const occurrence = this.reportable(command); // again: an earlier report may have closed it
      const recorded = await interactive.recordActivityReport(command);
      applyReport(occurrence, command.report, Date.now());
      // Histories from before steps waited for a date have no result here; a withdrawal meanwhile keeps the year.
      if (recorded?.plannedSteps && this.year) addOccurrences(this.year, recorded.plannedSteps, Date.now());
      this.yearChanges += 1;
      return { occurrenceId: occurrence.occurrenceId, open: occurrence.open, dueDate: occurrence.dueDate };
    });
  }

  async publishFollowUp(command: PublishFollowUpCommand) {
    return this.oneAtATime.runExclusive(async () => {
      const followUp = this.publishable(command); // again: an earlier call may have published it
      await interactive.publishFollowUp({ promiseId: this.promiseId, ...command });
      followUp.status = 'PUBLISHED';
      if (followUp.final) this.apply('FOLLOW_UP_PUBLISHED');
      this.yearChanges += 1;
      return { status: this.state.status };
    });
  }

  /** Creates the renewal once; a second launch, by hand or by the timer, gets the same one. */
  launchRenewal(command: LaunchRenewalCommand, via: typeof interactive = interactive): Promise<{ renewalId: string }> {
    this.renewalInFlight ??= via.launchRenewal({ promiseId: this.promiseId, actor: command.actor, scheduledFor: Date.now() }).then(
      (result) => {
        this.year!.renewalId = result.renewalId;
        this.yearChanges += 1;
        return result;
      },
      (error: unknown) => {
        this.renewalInFlight = undefined; // the next launch tries again
        throw error;
      },
    );
    return this.renewalInFlight;
  }

  async resume(command: ResumeCommand): Promise<PromiseWorkflowState> {
    await this.whenReady();
    await this.steps.resume(command.actor);
    return this.state;
  }

  /** Fire and forget: the correction is on record; the resend follows when it can. */
  async onAddressCorrected(event: AddressCorrectedEvent): Promise<void> {
    await this.whenReady();
    await trySending('e-post till en rättad adress', () =>
      mail.resendAfterCorrection({ promiseId: this.promiseId, ...event, scheduledFor: Date.now() }),
    );
  }

  /**
   * Fire and forget, like a correction: the request goes out again if it still waits for an answer.
   * The same asking twice (a double click) is sent once: the outbox makes a send after a finished one
   * a no-op, but two sends of the same key running side by side could both reach the relay.
   */
  async onResendRequested(event: ResendRequestedEvent): Promise<void> {
    if (this.resendsAsked.has(event.resendId)) return;
    this.resendsAsked.add(event.resendId);
    await this.whenReady();
    await trySending('en begäran som skickas igen', () => mail.resendOnRequest({ promiseId: this.promiseId, ...event }));
  }

  /**
   * Fire and forget, like a correction: the e-mail is marked undeliverable and what it stood for
   * follows (activities/bounces.ts), whatever the promise is doing meanwhile.
   */
  async onEmailBounced(event: EmailBouncedEvent): Promise<void> {
    await this.whenReady();
    await trySending('en studsad e-post', () => mail.applyBounce({ noticeId: event.noticeId }));
  }

  // --- The main loop. ---

  async run(): Promise<PromiseWorkflowState> {
    try {
      if (!this.ready) await this.readRecords();
      await this.signing();
      if (!this.withdrawal && isInYear(this.state.status)) await this.runYear();
    } catch (error) {
      if (!(error instanceof WithdrawalRequested)) throw error;
    }
    if (this.withdrawal) await this.carryOutWithdrawal(this.withdrawal);
    this.state.phase = 'ENDED';
    await condition(allHandlersFinished);
    return this.state;
  }

  /** The status an event leads to along the lifecycle table; anything else is a fault in this code. */
  private next(event: LifecycleEvent): PromiseStatus {
    const status = nextStatus(this.state.status, event);
    if (!status) throw new Error(`Livscykeln tillåter inte ${event} från ${this.state.status}.`);
    return status;
  }

  /** Makes a move along the lifecycle table that an activity has already recorded. */
  private apply(event: LifecycleEvent): void {
    this.state.status = this.next(event);
    this.list();
  }

  /** Records a move along the lifecycle table (status, reason, audit event under `key`), then makes it. */
  private async moveTo(event: LifecycleEvent, record: { action: AuditAction; actor: Actor; key: string; reason?: string }): Promise<void> {
    const status = this.next(event);
    await this.steps.step(`Ändra status till ${STATUS_LABELS_SV[status]}`, () =>
      records.recordStatus({ promiseId: this.promiseId, status, ...record }),
    );
    this.state.status = status;
    if (record.reason !== undefined) this.state.statusReason = record.reason;
    this.list();
  }

  /** A fresh run: the records say where the promise is; carry on from there. */
  private async readRecords(): Promise<void> {
    const recorded = await this.steps.step('Läsa löftets uppgifter', () => records.readPromiseRecords({ promiseId: this.promiseId }));
    Object.assign(this.state, {
      status: recorded.status,
      statusReason: recorded.statusReason,
      versionNumber: recorded.versionNumber,
      roundNumber: recorded.roundNumber,
    });
    const { round } = recorded;
    if (round?.ended) {
      // The round ended but what follows was not carried out: carry it out now.
      this.endedRound = { plan: round.plan, outcome: round.ended };
      if (round.ended.kind === 'WITHDRAWN') this.withdrawal = { actor: SYSTEM_ACTOR, reason: round.ended.reason };
    } else if (round) {
      this.roundToRun = { plan: round.plan, startedAt: round.startedAt };
    }
    if (recorded.year) this.year = adoptYear(recorded.year, Date.now());
    this.state.phase = this.year ? 'YEAR' : this.state.status === 'SIGNING' ? 'SIGNING' : 'IDLE';
    this.listing = recorded.listing;
    this.list();
    this.ready = true;
  }

  /** Draft and signing rounds, until the promise is signed or withdrawn. */
  private async signing(): Promise<void> {
    if (this.endedRound) await this.closeRound(this.endedRound.plan, this.endedRound.outcome);
    while (this.state.status === 'DRAFT' || this.state.status === 'SIGNING') {
      await condition(() => this.roundToRun !== undefined || this.withdrawal !== undefined);
      const next = this.roundToRun;
      this.roundToRun = undefined;
      if (next) await this.runRound(next.plan, next.startedAt);
      if (this.withdrawal) break;
    }
  }

  private async runRound(plan: RoundPlan, startedAt?: number): Promise<void> {
    this.state.phase = 'SIGNING';
    this.openRound = plan;
    let outcome: SigningRoundOutcome | undefined;
    this.roundScope = new CancellationScope();
    try {
      // A revision or withdrawal accepted before the round got going skips it altogether.
      if (!this.revised && !this.withdrawal) {
        const firstStartedAt = startedAt ?? Date.now();
        let attempt = 0;
        outcome = await this.roundScope.run(() =>
          this.steps.step(`Signeringsomgång ${plan.roundNumber}`, async () => {
            // Run again after a fault, the round carries on from the decisions on record, on its own timeline.
            const again = attempt++ > 0;
            const current = again
              ? await records.beginSigningRound({
                  promiseId: this.promiseId,
                  roundNumber: plan.roundNumber,
                  actor: SYSTEM_ACTOR,
                  from: 'SIGNING',
                })
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
    this.state.phase = 'CLOSING_ROUND';
    // A revision accepted just before the round ended still wins: let it finish, then decide.
    await condition(() => !this.revising);
    if (this.withdrawal) {
      await this.closeRound(plan, { kind: 'WITHDRAWN', reason: this.withdrawal.reason });
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
    const close = (status: 'COMPLETED' | 'DECLINED' | 'EXPIRED' | 'SUPERSEDED' | 'WITHDRAWN', reason?: string) =>
      this.steps.step('Avsluta signeringsomgången', () =>
        records.closeSigningRound({ roundId: plan.roundId, status, ...(reason ? { reason } : {}) }),
      );
    this.state.phase = 'CLOSING_ROUND';
    if (outcome.kind === 'WITHDRAWN') {
      await close('WITHDRAWN', outcome.reason);
      this.openRound = undefined;
      return;
    }
    if (outcome.kind === 'SUPERSEDED') {
      // A new text voids what was signed: close this round and start the next on the new version.
      await close('SUPERSEDED', `Ny version ${this.state.versionNumber}`);
      this.openRound = undefined;
      await this.beginNextRound();
      return;
    }
    const key = `round:${this.promiseId}:${plan.roundNumber}`;
    if (outcome.kind === 'ALL_SIGNED') {
      await close('COMPLETED');
      await this.moveTo('ALL_SIGNED', { action: 'ACTIVATED', actor: SYSTEM_ACTOR, key });
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
    await this.moveTo(event, { action: `RETURNED_TO_DRAFT_${outcome.kind}`, actor: SYSTEM_ACTOR, key, reason });
    this.state.phase = 'IDLE';
    this.openRound = undefined;
    await trySending('besked till samordnaren', () => mail.notifyCoordinator({ roundId: plan.roundId, notice: outcome.kind, deadline: 0 }));
    if (outcome.kind === 'DECLINED' && patched(PATCHES.tellSignatoriesOfDecline)) {
      await trySending('besked till undertecknarna', () => mail.notifyRoundStopped({ roundId: plan.roundId }));
    }
  }

  /** After a revision: the next round on the new version, or back to DRAFT if a rule says it cannot start. */
  private async beginNextRound(): Promise<void> {
    const roundNumber = this.state.roundNumber + 1;
    let refusal: unknown;
    const plan = await this.steps.step('Starta nästa signeringsomgång', async () => {
      try {
        return await records.beginSigningRound({ promiseId: this.promiseId, roundNumber, actor: SYSTEM_ACTOR, from: 'SIGNING' });
      } catch (error) {
        if (!isPermanent(error)) throw error;
        refusal = error;
        return undefined;
      }
    });
    if (plan) {
      this.state.roundNumber = roundNumber;
      this.listing = plan.listing ?? this.listing;
      this.apply('REVISED');
      this.state.phase = 'SIGNING';
      this.roundToRun = { plan };
    } else {
      // The new text cannot go out for signing: the coordinator gets it back as a draft, with why.
      const reason = `Den nya versionen kunde inte skickas för signering: ${describeFailure(refusal)}`;
      const key = `round:${this.promiseId}:${roundNumber}:abandoned`;
      await this.moveTo('ROUND_ABANDONED', { action: 'RETURNED_TO_DRAFT_ROUND_ABANDONED', actor: SYSTEM_ACTOR, key, reason });
      this.state.phase = 'IDLE';
    }
  }

  private historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (this.input.historyLimit !== undefined && info.historyLength > this.input.historyLimit);
  }

  /** The year: reminders, follow-ups and the renewal, each when due, until the promise closes. */
  private async runYear(): Promise<void> {
    if (!this.year) {
      this.state.phase = 'STARTING_YEAR';
      const scheduled = await this.steps.step('Planera årets tillfällen', () => records.scheduleOccurrences({ promiseId: this.promiseId }));
      this.year = startYear({ activatedAt: Date.now(), ...scheduled });
    }
    this.state.phase = 'YEAR';
    const year = this.year;
    const afterAnyChange = patched(PATCHES.handOverAfterAnyChange);
    let afterEvent = false;
    while (!this.withdrawal && this.state.status !== 'CLOSED') {
      if ((afterAnyChange || afterEvent) && this.historyIsLong()) {
        if (await this.handOver()) return;
      }
      afterEvent = false;
      const event = nextEvent(year);
      const seen = this.yearChanges;
      const stirred = () => this.yearChanges !== seen || this.withdrawal !== undefined || this.state.status === 'CLOSED';
      if (!event) {
        await condition(stirred);
        continue;
      }
      const wait = event.at - Date.now();
      if (wait > 0 && (await condition(stirred, wait))) continue;
      if (event.type === 'REMINDER') {
        const { occurrence, reminder, dueDate } = event;
        await trySending('påminnelse om en aktivitet', () =>
          mail.sendOccurrenceReminder({
            occurrenceId: occurrence.occurrenceId,
            dueDate,
            kind: reminder.kind,
            sequence: reminder.sequence,
            scheduledFor: reminder.at,
          }),
        );
        markReminderSent(occurrence, reminder, dueDate);
      } else if (event.type === 'DATE_REQUEST') {
        const { occurrence, sequence, last } = event;
        await trySending('begäran om ett datum', () =>
          mail.askForDate({ occurrenceId: occurrence.occurrenceId, sequence, last, scheduledFor: event.at }),
        );
        markDateRequested(occurrence);
      } else if (event.type === 'FOLLOW_UP') {
        const { followUp } = event;
        const sequence = followUp.status === 'PENDING' ? 0 : followUp.remindersSent + 1;
        await this.steps.step('Begära uppföljningen', () =>
          mail.requestFollowUp({ promiseId: this.promiseId, ...followUp, sequence, scheduledFor: event.at }),
        );
        if (followUp.final && this.state.status === 'ACTIVE') this.apply('PERIOD_ENDED');
        markFollowUpRequested(year, followUp, event.at);
      } else {
        await this.steps.step('Starta förnyelsen', () => this.launchRenewal({ actor: SYSTEM_ACTOR }, mail));
      }
      afterEvent = true;
    }
  }

  /**
   * Hands the year over to a fresh run before the history grows large. Handlers finish first (new
   * year commands are refused as BUSY meanwhile, and the API tries them again); a withdrawal wins.
   * Returns whether the hand-over gave way to a withdrawal.
   */
  private async handOver(): Promise<boolean> {
    this.state.phase = 'HANDING_OVER';
    await condition(() => allHandlersFinished() || this.withdrawal !== undefined);
    if (this.withdrawal) return true;
    return continueAsNew<(input: PromiseLifecycleInput) => Promise<PromiseWorkflowState>>({
      promiseId: this.promiseId,
      carried: { state: this.state, year: this.year! },
      historyLimit: this.input.historyLimit,
    });
  }

  private async carryOutWithdrawal({ actor, reason }: WithdrawCommand): Promise<void> {
    this.state.phase = 'WITHDRAWING';
    const { promiseId } = this;
    const round = this.openRound;
    if (round) {
      await this.steps.step('Avsluta signeringsomgången', () =>
        records.closeSigningRound({ roundId: round.roundId, status: 'WITHDRAWN', reason }),
      );
      this.openRound = undefined;
    }
    await this.moveTo('WITHDRAW', { action: 'WITHDRAWN', actor, key: `withdrawn:${promiseId}`, reason });
    await trySending('besked om återkallelse', () => mail.notifyWithdrawal({ promiseId, reason }));
  }
}
