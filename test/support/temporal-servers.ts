import type { Client, Connection } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
// Exported by the SDK for registering search attributes in tests.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { PROMISE_SEARCH_ATTRIBUTES } from '../../domain/search-attributes';
import { encryptingDataConverter } from '../../platform/payload-codec';

// Temporal's two test servers as the tests and the bench run them: with the promises' search
// attributes registered, as on a cluster (README, "Drift").

function requiredPath(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} saknas: kör testerna med \`npm test\`.`);
  return value;
}

/** The workflow ids a visibility query lists, as `temporal workflow list --query` would. */
export async function listedWorkflows(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
  return ids;
}

/**
 * Registers the promises' search attributes through the operator API, as the time-skipping server
 * takes them (the dev server takes them as flags at start, a cluster from the CLI: README, "Drift").
 */
async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      Object.values(PROMISE_SEARCH_ATTRIBUTES).map(({ name, type }) => [name, encodeSearchAttributeIndexedValueType(type)!]),
    ),
  });
}

/** The test environment's client encrypting as the product's does, when given the codec. */
const clientWith = (payloadCodec?: PayloadCodec) =>
  payloadCodec ? { client: { dataConverter: encryptingDataConverter(payloadCodec) } } : {};

/** Temporal's dev server with the promises' search attributes registered, as `npm start` runs it. */
export const startDevServer = (payloadCodec?: PayloadCodec) =>
  TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: requiredPath('TEMPORAL_CLI_PATH') },
      searchAttributes: Object.values(PROMISE_SEARCH_ATTRIBUTES),
    },
    ...clientWith(payloadCodec),
  });

/** Temporal's time-skipping test server, with the promises' search attributes registered. */
export async function startTimeSkippingServer(
  payloadCodec?: PayloadCodec,
  path = requiredPath('TEMPORAL_TEST_SERVER_PATH'),
): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
    ...clientWith(payloadCodec),
  });
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
