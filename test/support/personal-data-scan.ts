import type { History } from '@temporalio/common/lib/proto-utils';
import type { Database } from '../../store/database';
import type { Engine } from './engine';
import { payloadsIn } from './histories';

// Where personal data could still be: every text and JSON column of every table, and the
// histories Temporal keeps, searched for given strings (addresses, an IP address, a browser).

/** "Table.column: needle" for every column that still holds one of the needles (case ignored). */
export async function columnsHolding(db: Database, needles: string[]): Promise<string[]> {
  const columns = await db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb', 'character varying')
      AND table_name NOT LIKE '\\_%'`;
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    for (const needle of needles) {
      const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text ILIKE $1`,
        `%${needle.replace(/[\\%_]/g, '\\$&')}%`,
      );
      if (row!.n > 0) found.push(`${table}.${column}: ${needle}`);
    }
  }
  return found;
}

/** A workflow's history as the server keeps it (no codec between). */
export async function storedHistory(engine: Engine, workflowId: string): Promise<History> {
  const { env } = engine;
  const { history } = await env.connection.workflowService.getWorkflowExecutionHistory({
    namespace: env.namespace ?? 'default',
    execution: { workflowId },
  });
  return history!;
}

/** The needles that a stored history shows in clear: in its payloads or anywhere else in it. */
export function historyHolding(history: History, needles: string[]): string[] {
  const text = [JSON.stringify(history), ...payloadsIn(history).map((p) => Buffer.from(p.data!).toString('utf8'))].join('\n').toLowerCase();
  return needles.filter((needle) => text.includes(needle.toLowerCase()));
}
