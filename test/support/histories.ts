import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';

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
export async function recordHistory(
  engine: { client: Client; payloadCodec?: PayloadCodec },
  workflowId: string,
  name: string,
  runId?: string,
): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await engine.client.workflow.getHandle(workflowId, runId).fetchHistory();
  if (engine.payloadCodec) await decodePayloads(history, engine.payloadCodec);
  writeFileSync(join(HISTORIES_DIR, `${RECORDING_VERSION}-${name}.json`), `${historyToJSON(history)}\n`);
}

const isPayload = (value: unknown): value is Payload =>
  typeof value === 'object' && value !== null && 'metadata' in value && 'data' in value && value.data instanceof Uint8Array;

/** Every payload in a history (or any part of one), in order. */
export function payloadsIn(node: unknown): Payload[] {
  if (isPayload(node)) return [node];
  if (typeof node !== 'object' || node === null) return [];
  return Object.values(node).flatMap(payloadsIn);
}

/**
 * Decrypts, in place, every payload of a history as the server keeps it: a recording is kept in
 * clear, so that the replay test reads it without the test's throwaway key (the replay test also
 * runs with a codec, which lets clear payloads through, as for histories from before encryption).
 */
async function decodePayloads(node: unknown, codec: PayloadCodec): Promise<void> {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (isPayload(value)) (node as Record<string, unknown>)[key] = (await codec.decode([value]))[0];
    else if (Array.isArray(value) && value.some(isPayload)) (node as Record<string, unknown>)[key] = await codec.decode(value as Payload[]);
    else await decodePayloads(value, codec);
  }
}
