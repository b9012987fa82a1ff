import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { EncryptionCodec, encryptingDataConverter, newPayloadKey, parsePayloadKeys } from '../platform/payload-codec';
import { HISTORIES_DIR } from './support/histories';

// Histories recorded from real runs (test/histories). If a change to workflow code would make a
// running promise take a different path on replay, this fails: such a change needs patching.
// The replay runs with the payload codec, as every worker now does: the histories recorded before
// encryption (all of these; recordings are kept in clear) must go on replaying through it.

Runtime.install({ logger: new DefaultLogger('WARN') });

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(2);
});

test.each(files)('%s replays deterministically with the current workflow code', async (file) => {
  const history = JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
  const workflowType: string = history.events[0].workflowExecutionStartedEventAttributes.workflowType.name;
  const dataConverter = encryptingDataConverter(new EncryptionCodec(parsePayloadKeys(newPayloadKey('replay'))));
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows'), dataConverter }, history, `${file}:${workflowType}`);
});
