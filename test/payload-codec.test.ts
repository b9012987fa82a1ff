import { ApplicationFailure, defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { failureConverter } from '../platform/failure-converter';
import { codecServer } from '../scripts/codec-server';
import { ConfigError } from '../platform/config';
import { EncryptionCodec, newPayloadKey, parsePayloadKeys } from '../platform/payload-codec';
import { checkedPayloadCodec } from '../platform/production';
import { changedPayloadKeys } from '../store/payload-keys';
import { promiseWorkflowId } from '../domain/identifiers';
import { findSigningAccess } from '../store/signing';
import { createTestDatabase, type TestDatabase } from './support/database';
import { eventually } from './support/eventually';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { payloadsIn } from './support/histories';
import { startApiTestbed, type ApiTestbed } from './support/http';
import { inComingYear, lessebo, signingToken, subjectsStartingWith } from './support/promises';
import { storedHistory } from './support/personal-data-scan';

// The payload codec (issue 23): what the client and the worker hand Temporal is AES-256-GCM
// ciphertext under a key id; keys rotate (the first encrypts, all decrypt); payloads from before
// encryption pass through; a key replaced under a known id stops the process at start.

const text = new TextEncoder();
const plain = (json: unknown): Payload => ({
  metadata: { [METADATA_ENCODING_KEY]: text.encode('json/plain') },
  data: text.encode(JSON.stringify(json)),
});
/** A payload as plain values (the codec gives protobuf messages), to compare. */
const valuesOf = (payloads: Payload[]) =>
  payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString()])),
    data: Buffer.from(p.data ?? []).toString(),
  }));
const SECRET = { email: 'anna.andersson@lessebo.example', ip: '203.0.113.7' };

test('a payload is encrypted under the current key and read back exactly; the same payload twice gives two ciphertexts', async () => {
  const codec = new EncryptionCodec(parsePayloadKeys(newPayloadKey('k1')));
  const [first] = await codec.encode([plain(SECRET)]);
  const [second] = await codec.encode([plain(SECRET)]);
  expect(new TextDecoder().decode(first!.metadata!.encoding)).toBe('binary/encrypted');
  expect(new TextDecoder().decode(first!.metadata!['encryption-key-id'])).toBe('k1');
  expect(Buffer.from(first!.data!).includes(SECRET.email)).toBe(false);
  expect(Buffer.from(first!.data!).equals(Buffer.from(second!.data!))).toBe(false);
  expect(valuesOf(await codec.decode([first!]))).toEqual(valuesOf([plain(SECRET)]));
});

test('keys rotate: the new key encrypts, the old still decrypts; a payload from before encryption passes through', async () => {
  const old = newPayloadKey('2026-06');
  const sealedByOld = await new EncryptionCodec(parsePayloadKeys(old)).encode([plain(SECRET)]);
  const rotated = new EncryptionCodec(parsePayloadKeys(`${newPayloadKey('2026-12')},${old}`));
  expect(valuesOf(await rotated.decode(sealedByOld))).toEqual(valuesOf([plain(SECRET)]));
  const [sealedByNew] = await rotated.encode([plain(SECRET)]);
  expect(new TextDecoder().decode(sealedByNew!.metadata!['encryption-key-id'])).toBe('2026-12');
  expect(valuesOf(await rotated.decode([plain(SECRET)]))).toEqual(valuesOf([plain(SECRET)]));
});

test('a payload under a key not given, or altered, fails loudly', async () => {
  const sealed = await new EncryptionCodec(parsePayloadKeys(newPayloadKey('borta'))).encode([plain(SECRET)]);
  const codec = new EncryptionCodec(parsePayloadKeys(newPayloadKey('k1')));
  await expect(codec.decode(sealed)).rejects.toThrow('En krypterad payload har nyckeln "borta", som inte finns i PAYLOAD_ENCRYPTION_KEYS');
  const [own] = await codec.encode([plain(SECRET)]);
  const altered = Buffer.from(own!.data!);
  altered.writeUInt8(altered.readUInt8(20) ^ 1, 20);
  await expect(codec.decode([{ ...own!, data: altered }])).rejects.toThrow();
});

test('PAYLOAD_ENCRYPTION_KEYS that are wrong are refused by what is wrong, never showing a key', () => {
  const short = `k1:${Buffer.alloc(16, 7).toString('base64')}`;
  expect(() => parsePayloadKeys(short)).toThrow('nyckeln k1 ska vara 32 byte (256 bitar), t.ex. från openssl rand -base64 32; den är 16');
  expect(() => parsePayloadKeys('bara-en-nyckel-utan-id')).toThrow('nyckel 1 ska skrivas id:base64');
  const key = newPayloadKey('k1');
  expect(() => parsePayloadKeys(`${key},${key}`)).toThrow('nyckeln k1 står två gånger');
  expect(() => parsePayloadKeys(' , ')).toThrow('ska vara minst en nyckel');
  try {
    parsePayloadKeys(short);
  } catch (error) {
    expect((error as Error).message).not.toContain(short.split(':')[1]);
  }
});

test('a failure’s message (a relay’s refusal names the address) leaves encoded, and comes back whole', async () => {
  const codec = new EncryptionCodec(parsePayloadKeys(newPayloadKey('k1')));
  const failure = failureConverter.errorToFailure(
    ApplicationFailure.nonRetryable('550 5.1.1 <anna.andersson@lessebo.example>: Recipient address rejected', 'UNDELIVERABLE'),
    defaultPayloadConverter,
  );
  expect(failure.message).not.toContain('anna.andersson');
  const sealed = await codec.encode([failure.encodedAttributes!]);
  expect(Buffer.from(sealed[0]!.data!).includes('anna.andersson')).toBe(false);
  const back = failureConverter.failureToError({ ...failure, encodedAttributes: (await codec.decode(sealed))[0] }, defaultPayloadConverter);
  expect(back.message).toBe('550 5.1.1 <anna.andersson@lessebo.example>: Recipient address rejected');
});

describe('the start-up check of the keys, on PostgreSQL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  test('a key is recorded the first time, accepted again, and another key under the same id stops the start', async () => {
    const changed = (fingerprints: { id: string; fingerprint: string }[]) => changedPayloadKeys(database.db, fingerprints);
    const first = parsePayloadKeys(newPayloadKey('2026-12'));
    await checkedPayloadCodec(first, changed);
    await checkedPayloadCodec(first, changed);
    const rows = await database.db.payloadKeyFingerprint.findMany();
    expect(rows.map((r) => r.id)).toEqual(['2026-12']);
    expect(JSON.stringify(rows)).not.toContain(first[0]!.key.toString('base64'));

    const replaced = parsePayloadKeys(newPayloadKey('2026-12'));
    await expect(checkedPayloadCodec(replaced, changed)).rejects.toThrow(ConfigError);
    await expect(checkedPayloadCodec(replaced, changed)).rejects.toThrow(
      'nyckeln 2026-12 är inte den som tjänsten startade med under samma id',
    );
    // A new key under a new id, the old one kept for reading: the rotation the README describes.
    await checkedPayloadCodec(parsePayloadKeys(`${newPayloadKey('2027-06')},2026-12:${first[0]!.key.toString('base64')}`), changed);
  });
});

describe('what Temporal holds of a promise, on the dev server', () => {
  let testbed: ApiTestbed;
  beforeAll(async () => {
    testbed = await startApiTestbed('samordnare.kodek@lessebo.example');
  });
  afterAll(async () => {
    await testbed?.stop();
  });

  test('the promise’s and its round’s histories are ciphertext: no address, name, IP address or browser in clear', async () => {
    const content = inComingYear(lessebo());
    // A relay refuses one signatory, naming the address in its answer (as relays do).
    const refused = content.signatories.at(-1)!.email;
    testbed.engine.mailbox.refuse(refused, 550, `5.1.1 <${refused}>: Recipient address rejected`);
    const id = (await testbed.coordinator.post('/api/promises', { content })).json.id as string;
    await testbed.coordinator.post(`/api/promises/${id}/submit`, {});
    // One signatory signs through the link page, from a browser the history must not show.
    const mail = await eventually(() => {
      const found = subjectsStartingWith(testbed.engine.mailbox.messages, 'Signera medborgarlöftet')[0];
      expect(found).toBeDefined();
      return found!;
    });
    const token = signingToken(mail);
    const access = (await findSigningAccess(testbed.engine.database.db, token))!;
    const signed = await fetch(`${testbed.api.baseUrl}/sign/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': BROWSER },
      body: new URLSearchParams({ decision: 'SIGN', documentSha256: access.request.round.version.sha256 }),
    });
    expect(signed.status).toBe(200);

    await eventually(async () =>
      expect(await testbed.engine.database.db.emailOutbox.count({ where: { recipient: refused, status: 'UNDELIVERABLE' } })).toBe(1),
    );
    const histories = [
      await storedHistory(testbed.engine, promiseWorkflowId(id)),
      await storedHistory(testbed.engine, access.request.round.workflowId),
    ];
    // Nothing of the refusal (which names the address) stands in the histories in clear.
    expect(JSON.stringify(histories.map((h) => historyToJSON(h))).includes(refused)).toBe(false);
    const payloads = payloadsIn(histories);
    const inClear = payloads.map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    const carried = [BROWSER, '127.0.0.1', ...content.signatories.map((s) => s.name)];
    const secrets = [...carried, ...content.signatories.map((s) => s.email)];
    expect(secrets.filter((secret) => inClear.includes(secret))).toEqual([]);
    // The names, the address and the browser were there, encrypted: the codec reads them back.
    const decoded = (await testbed.engine.payloadCodec.decode(payloads)).map((p) => Buffer.from(p.data ?? []).toString('utf8')).join('\n');
    expect(carried.filter((secret) => !decoded.includes(secret))).toEqual([]);
    shownPromise = promiseWorkflowId(id);
    signatoryName = content.signatories[0]!.name;
  });

  test('an operator with the keys reads a history through the codec server with the Temporal CLI; without it, ciphertext', async () => {
    const server = codecServer(testbed.engine.payloadCodec, 'http://localhost:8233');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // Not execFileSync: the codec server answering the CLI runs in this process.
    const show = async (...extra: string[]) =>
      (
        await promisify(execFile)(
          process.env.TEMPORAL_CLI_PATH!,
          ['workflow', 'show', '--workflow-id', shownPromise, '--address', testbed.engine.env.address, '--output', 'json', ...extra],
          { encoding: 'utf8', timeout: 30_000 },
        )
      ).stdout;
    try {
      // The CLI prints each payload's data in base64: what the operator reads is its decoding.
      const readable = (json: string) =>
        [...json.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)].map(([, data]) => Buffer.from(data!, 'base64').toString('utf8')).join('\n');
      const decoded = await show('--codec-endpoint', `http://127.0.0.1:${port}`);
      expect(decoded).not.toContain('encryption-key-id');
      expect(readable(decoded)).toContain(signatoryName);
      const sealed = await show();
      expect(sealed).toContain('encryption-key-id');
      expect(readable(sealed)).not.toContain(signatoryName);
    } finally {
      server.close();
    }
  });
});

let shownPromise: string;
let signatoryName: string;
const BROWSER = 'Testwebbläsare/9.9 (kodektestet)';
