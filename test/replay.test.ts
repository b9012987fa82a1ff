import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from './support/histories';

// Histories recorded from real runs (test/histories). If a change to workflow code would make a
// running promise take a different path on replay, this fails: such a change needs patching.

Runtime.install({ logger: new DefaultLogger('WARN') });

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(2);
});

test.each(files)('%s replays deterministically with the current workflow code', async (file) => {
  const history = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
  const workflowType: string = history.events[0].workflowExecutionStartedEventAttributes.workflowType.name;
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, `${file}:${workflowType}`);
});
