// `npm run replay:cluster`: before workers with new workflow code roll out, replays the history of
// every running promise and signing round, fetched from the cluster, against the code in this
// checkout. A change that would take a running promise down another path (README, "Driftsätta")
// is found here instead of in production. Reads only; connects like a worker (TEMPORAL_*).
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../platform/config';
import { EncryptionCodec, encryptingDataConverter } from '../platform/payload-codec';
import { runMain } from '../platform/production';
import { connectClient } from '../platform/temporal';
import { localPayloadKeys } from './lib/local-keys';

const RUNNING = `ExecutionStatus = 'Running' AND WorkflowType IN ('promiseLifecycleWorkflow', 'signingRoundWorkflow')`;

runMain(async () => {
  const { values } = parseArgs({
    options: {
      query: { type: 'string', default: RUNNING },
      // The workflow code to replay against; the checkout's own unless given (the tests give another).
      workflows: { type: 'string', default: require.resolve('../workflows') },
    },
  });
  const config = loadConfig();
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await connectClient({ ...config.temporal, address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const { count } = await client.workflow.count(values.query);
  console.log(`${count} körande arbetsflöden i ${config.temporal.namespace} på ${address} (${values.query})`);

  const histories = client.workflow.list({ query: values.query }).intoHistories({ concurrency: 4 });
  // The histories hold ciphertext: the keys are PAYLOAD_ENCRYPTION_KEYS, or npm start's own.
  const keys = localPayloadKeys(config.payloadKeys, config.dataDir, false);
  const dataConverter = keys ? encryptingDataConverter(new EncryptionCodec(keys)) : undefined;
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowsPath: values.workflows, replayName: 'replay:cluster', dataConverter },
    histories,
  )) {
    replayed += 1;
    if (result.error) {
      failures.push(`${result.workflowId} (${result.runId}): ${result.error.message.split('\n')[0]}`);
      console.log(`✗ ${result.workflowId}: ${result.error.name}`);
    }
    if (replayed % 50 === 0) console.log(`  ${replayed} av ${count} uppspelade`);
  }
  await connection.close();
  if (failures.length > 0) {
    console.log(
      `\n✗ ${failures.length} av ${replayed} tar en annan väg med den här koden. Driftsätt inte; skydda ändringen med patched().`,
    );
    for (const failure of failures) console.log(`  ${failure}`);
    process.exit(1);
  }
  console.log(`✓ Alla ${replayed} uppspelade utan avvikelse: koden kan driftsättas för dem.`);
});
