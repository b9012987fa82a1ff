import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newPayloadKey, parsePayloadKeys, type PayloadKey } from '../../platform/payload-codec';

/**
 * The payload encryption keys of `npm start`: PAYLOAD_ENCRYPTION_KEYS, or a key kept under the data
 * folder across restarts (made the first time), so the embedded Temporal holds ciphertext too.
 * `replay:cluster` reads the same file and makes none.
 */
export function localPayloadKeys(configured: PayloadKey[] | undefined, dataDir: string, make = true): PayloadKey[] | undefined {
  if (configured) return configured;
  const file = join(dataDir, 'payload-keys');
  if (existsSync(file)) return parsePayloadKeys(readFileSync(file, 'utf8').trim());
  if (!make) return undefined;
  const keys = newPayloadKey('lokal');
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return parsePayloadKeys(keys);
}
