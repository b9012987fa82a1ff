// A promise's year, from ACTIVE until it closes: its reminders, date requests, follow-ups and
// renewal, each when due; the reports and follow-ups coordinators send meanwhile; and the hand-over
// to a fresh run before the history grows large. The entity (promise-entity.ts) wires the commands here.
import { allHandlersFinished, condition, continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../domain/actor';
import { stockholmDateOf } from '../domain/calendar';
import { isInYear, NOT_IN_YEAR_SV } from '../domain/lifecycle';
import { describeProblems } from '../domain/problems';
import { reportProblems } from '../domain/report-rules';
import type { PromiseRecords } from '../store/recovery';
import { interactive, mail, records } from './activity-stubs';
import { trySending } from './attention';
import type { LaunchRenewalCommand, PromiseWorkflowState, PublishFollowUpCommand, ReportCommand } from './messages';
import { PATCHES } from './patches';
import type { PromiseCore, PromiseLifecycleInput } from './promise-entity';
import { reject } from './refusals';
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
  type YearEvent,
  type YearState,
} from './year-plan';

export class PromiseYear {
  /** Bumped by every handler that changes the year, so the timer loop plans again. */
  private changes = 0;
  private renewalInFlight?: Promise<{ renewalId: string }>;

  constructor(
    private readonly promise: PromiseCore,
    private year: YearState | undefined,
    /** Continue as new past this many history events; otherwise when Temporal suggests it. */
    private readonly historyLimit?: number,
  ) {}

  get started(): boolean {
    return this.year !== undefined;
  }

  /** A fresh run: the year as recorded, if the promise is in it. */
  adopt(recorded: PromiseRecords['year']): void {
    if (recorded) this.year = adoptYear(recorded, Date.now());
  }

  nextEvent(): YearEvent | undefined {
    return this.year && nextEvent(this.year);
  }

  // --- Validators. ---

  private requireYear(): YearState {
    const { state, withdrawal } = this.promise;
    if (state.phase === 'HANDING_OVER' || state.phase === 'STARTING_YEAR' || state.phase === 'STARTING') {
      reject('BUSY', 'Löftet går just nu från ett steg till nästa; försök igen om en stund.');
    }
    if (!this.year || withdrawal || !isInYear(state.status)) reject('INVALID_STATE', NOT_IN_YEAR_SV);
    return this.year!;
  }

  /** The occurrence a report is for, if it may be reported now. */
  private reportable(command: ReportCommand): OccurrenceState {
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
  publishable(command: PublishFollowUpCommand): FollowUpState {
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

  validateLaunchRenewal(): void {
    this.requireYear();
  }

  // --- Handlers, one at a time (the entity holds the mutex). ---

  async report(command: ReportCommand) {
    const occurrence = this.reportable(command); // again: an earlier report may have closed it
    const recorded = await interactive.recordActivityReport(command);
    applyReport(occurrence, command.report, Date.now());
    // Histories from before steps waited for a date have no result here; a withdrawal meanwhile keeps the year.
    if (recorded?.plannedSteps && this.year) addOccurrences(this.year, recorded.plannedSteps, Date.now());
    this.changes += 1;
    return { occurrenceId: occurrence.occurrenceId, open: occurrence.open, dueDate: occurrence.dueDate };
  }

  async publishFollowUp(command: PublishFollowUpCommand) {
    const followUp = this.publishable(command); // again: an earlier call may have published it
    await interactive.publishFollowUp({ promiseId: this.promise.promiseId, ...command });
    followUp.status = 'PUBLISHED';
    if (followUp.final) this.promise.apply('FOLLOW_UP_PUBLISHED');
    this.changes += 1;
    return { status: this.promise.state.status };
  }

  /** Creates the renewal once; a second launch, by hand or by the timer, gets the same one. */
  launchRenewal(command: LaunchRenewalCommand, via: typeof interactive = interactive): Promise<{ renewalId: string }> {
    this.renewalInFlight ??= via.launchRenewal({ promiseId: this.promise.promiseId, actor: command.actor, scheduledFor: Date.now() }).then(
      (result) => {
        this.year!.renewalId = result.renewalId;
        this.changes += 1;
        return result;
      },
      (error: unknown) => {
        this.renewalInFlight = undefined; // the next launch tries again
        throw error;
      },
    );
    return this.renewalInFlight;
  }

  // --- The year's loop. ---

  private historyIsLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (this.historyLimit !== undefined && info.historyLength > this.historyLimit);
  }

  /** Reminders, follow-ups and the renewal, each when due, until the promise closes or is withdrawn. */
  async run(): Promise<void> {
    const { state, promiseId, steps } = this.promise;
    if (!this.year) {
      state.phase = 'STARTING_YEAR';
      const scheduled = await steps.step('Planera årets tillfällen', () => records.scheduleOccurrences({ promiseId }));
      this.year = startYear({ activatedAt: Date.now(), ...scheduled });
    }
    state.phase = 'YEAR';
    const year = this.year;
    const afterAnyChange = patched(PATCHES.handOverAfterAnyChange);
    let afterEvent = false;
    while (!this.promise.withdrawal && state.status !== 'CLOSED') {
      if ((afterAnyChange || afterEvent) && this.historyIsLong()) {
        if (await this.handOver()) return;
      }
      afterEvent = false;
      const event = nextEvent(year);
      const seen = this.changes;
      const stirred = () => this.changes !== seen || this.promise.withdrawal !== undefined || state.status === 'CLOSED';
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
        await steps.step('Begära uppföljningen', () => mail.requestFollowUp({ promiseId, ...followUp, sequence, scheduledFor: event.at }));
        if (followUp.final && state.status === 'ACTIVE') this.promise.apply('PERIOD_ENDED');
        markFollowUpRequested(year, followUp, event.at);
      } else {
        await steps.step('Starta förnyelsen', () => this.launchRenewal({ actor: SYSTEM_ACTOR }, mail));
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
    const { state, promiseId } = this.promise;
    state.phase = 'HANDING_OVER';
    await condition(() => allHandlersFinished() || this.promise.withdrawal !== undefined);
    if (this.promise.withdrawal) return true;
    return continueAsNew<(input: PromiseLifecycleInput) => Promise<PromiseWorkflowState>>({
      promiseId,
      carried: { state, year: this.year! },
      historyLimit: this.historyLimit,
    });
  }
}
