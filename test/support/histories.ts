import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/**
 * The version of the workflow code that new recordings stand for. Recordings are only ever added:
 * each carries this version in front of its name, and the ones made for earlier versions (the
 * unprefixed v0.1 set, then "v0.2-…" to "v0.5-…") stay as they are, for the promises still running on them.
 * Change it when workflow code changes in a way that running promises must survive.
 */
export const RECORDING_VERSION = 'v0.6';

/**
 * With RECORD_HISTORIES=1 (`npm run test:record-histories`), saves a finished or running
 * workflow's history (its latest run unless `runId` is given) as test/histories/<version>-<name>.json
 * for the replay test. Otherwise does nothing.
 */
export async function recordHistory(engine: { client: Client }, workflowId: string, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
  writeFileSync(join(HISTORIES_DIR, `${RECORDING_VERSION}-${name}.json`), `${historyToJSON(history)}\n`);
}
