import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

// What Temporal holds of a promise (workflow arguments, updates, activity inputs and results) is
// encrypted before it leaves the client or the worker: AES-256-GCM over the whole payload, the
// key's id beside it, so that histories, the Web UI and a Temporal Cloud namespace hold
// ciphertext. The first key encrypts and every key listed decrypts, so keys rotate without a
// stop; a payload without the marker (written before encryption) passes through unchanged.

const ENCRYPTED = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const untext = new TextDecoder();

export interface PayloadKey {
  id: string;
  key: Buffer;
}

/** A key as the variable writes it: `id:base64`, the base64 of 32 random bytes (openssl rand -base64 32). */
const KEY_ENTRY = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/]+={0,2})$/;

/**
 * The keys of PAYLOAD_ENCRYPTION_KEYS ("2026-12:…,2026-06:…"), the one that encrypts first; an
 * Error saying what is wrong (never the key) for anything else.
 */
export function parsePayloadKeys(value: string): PayloadKey[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('ska vara minst en nyckel, id:base64');
  const keys = entries.map((entry, i) => {
    const match = KEY_ENTRY.exec(entry);
    if (!match) throw new Error(`nyckel ${i + 1} ska skrivas id:base64, med ett id av a–z, 0–9, punkt, bindestreck eller understreck`);
    const key = Buffer.from(match[2]!, 'base64');
    if (key.length !== 32)
      throw new Error(`nyckeln ${match[1]} ska vara 32 byte (256 bitar), t.ex. från openssl rand -base64 32; den är ${key.length}`);
    return { id: match[1]!, key };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`nyckeln ${twice} står två gånger`);
  return keys;
}

/** A fresh key under `id`, as PAYLOAD_ENCRYPTION_KEYS writes it. */
export const newPayloadKey = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;

/** What the start-up check keeps of a key: a SHA-256 of its id and bytes, from which the key cannot be found. */
export const keyFingerprint = ({ id, key }: PayloadKey) =>
  createHash('sha256').update(`medborgarlofte-payload-key\0${id}\0`).update(key).digest('hex');

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('EncryptionCodec behöver minst en nyckel');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(temporal.api.common.v1.Payload.encode(payload).finish()), cipher.final()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED), [KEY_ID]: text.encode(id) },
        data: Buffer.concat([iv, sealed, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || untext.decode(encoding) !== ENCRYPTED) return payload;
      const id = untext.decode(payload.metadata?.[KEY_ID] ?? new Uint8Array());
      const key = this.byId.get(id);
      // Loud, not silent: a history this worker cannot read must not be taken for an empty one.
      if (!key) throw new Error(`En krypterad payload har nyckeln "${id}", som inte finns i PAYLOAD_ENCRYPTION_KEYS`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The client's and the worker's data converter: payloads through the codec, failures' messages too. */
export const encryptingDataConverter = (codec: PayloadCodec): DataConverter => ({
  payloadCodecs: [codec],
  failureConverterPath: FAILURE_CONVERTER_PATH,
});

/** The failure converter's module, for the workflows' bundle and the data converter. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');
