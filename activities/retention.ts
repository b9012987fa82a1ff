import { Context } from '@temporalio/activity';
import type { Logger } from 'pino';
import { pseudonymOf } from '../domain/crypto';
import type { RetentionPolicy, Sweep } from '../domain/retention';
import type { SessionPolicy } from '../domain/sessions';
import type { Database } from '../store/database';
import { sweepBatch } from '../store/retention';

export interface RetentionDeps {
  db: Database;
  /** Keys the pseudonyms (domain/crypto.ts): the same secret on every worker. */
  linkSecret: string;
  logger?: Logger;
}

export interface SweepCommand {
  sweep: Sweep;
  /** The run's moment, from the workflow's clock. */
  now: number;
  policy: RetentionPolicy;
  sessionPolicy: SessionPolicy;
}

export function createRetentionActivities(deps: RetentionDeps) {
  return {
    /** One sweep, batch by batch until nothing is left; says how many it changed. A retry carries on where it stopped. */
    async sweepPersonalData(command: SweepCommand): Promise<number> {
      const input = { ...command, pseudonym: (address: string) => pseudonymOf(deps.linkSecret, address) };
      let total = 0;
      for (;;) {
        const count = await sweepBatch(deps.db, input);
        if (count === 0) break;
        total += count;
        Context.current().heartbeat(total);
      }
      deps.logger?.info({ sweep: command.sweep, count: total }, 'gallring');
      return total;
    },
  };
}
