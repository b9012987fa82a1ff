// `npm run codec-server`: Temporal's codec server protocol on this machine, so an operator with the
// keys can read the encrypted histories in the Web UI (its "Codec Server" setting) or the CLI
// (`temporal workflow show … --codec-endpoint http://127.0.0.1:8888`). It decodes with the keys of
// PAYLOAD_ENCRYPTION_KEYS (or npm start's own) and listens on 127.0.0.1 only: whoever reaches it
// reads what the histories hold. CODEC_SERVER_PORT (8888) and CODEC_SERVER_ORIGIN (the Web UI's
// address, for the browser's CORS check; http://localhost:8233) set it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { loadConfig } from '../platform/config';
import { EncryptionCodec } from '../platform/payload-codec';
import { runMain } from '../platform/production';
import { localPayloadKeys } from './lib/local-keys';

/** A payload as the protocol's JSON carries it: every bytes field in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

async function bodyOf(request: IncomingMessage): Promise<{ payloads?: JsonPayload[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: JsonPayload[] };
}

export function codecServer(codec: PayloadCodec, origin: string) {
  return createServer(async (request: IncomingMessage, response: ServerResponse) => {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-allow-methods', 'POST, OPTIONS');
    response.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
    if (request.method === 'OPTIONS') return response.writeHead(204).end();
    const action = { '/decode': codec.decode.bind(codec), '/encode': codec.encode.bind(codec) }[request.url ?? ''];
    if (request.method !== 'POST' || !action) return response.writeHead(404).end();
    try {
      const payloads = await action(((await bodyOf(request)).payloads ?? []).map(fromJson));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: payloads.map(toJson) }));
    } catch (error) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end((error as Error).message);
    }
  });
}

if (require.main === module) {
  runMain(async () => {
    const config = loadConfig();
    const keys = localPayloadKeys(config.payloadKeys, config.dataDir, false);
    if (!keys) throw new Error('PAYLOAD_ENCRYPTION_KEYS saknas (och npm start har inga egna nycklar i .data/payload-keys).');
    const port = Number(process.env.CODEC_SERVER_PORT ?? 8888);
    const origin = process.env.CODEC_SERVER_ORIGIN ?? 'http://localhost:8233';
    codecServer(new EncryptionCodec(keys), origin).listen(port, '127.0.0.1', () =>
      console.log(`kodekservern: http://127.0.0.1:${port} (Web UI:s adress ${origin}); stoppas med Ctrl-C`),
    );
  });
}
