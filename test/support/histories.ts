import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * With RECORD_HISTORIES=1 (`npm run test:record-histories`), saves a finished or running
 * workflow's history (its latest run unless `runId` is given) under test/histories for the
 * replay test. Otherwise does nothing. Histories of earlier versions of the workflow code are kept
 * with their version in front of the name ("v0.1-…"), so that promises still running on them
 * stay covered.
 */
export async function recordHistory(engine: { client: Client }, workflowId: string, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), `${historyToJSON(history)}\n`);
}
