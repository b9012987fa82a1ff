import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { z } from 'zod';
import {
  BANKID_ERRORS,
  BankIdCollectResponseSchema,
  BankIdErrorSchema,
  BankIdOrderResponseSchema,
  type BankIdCollect,
  type BankIdOrder,
  type BankIdOrderRequest,
} from '../domain/bankid';

// The relying party's client for BankID's Auth & Sign API v6.0, over mutual TLS. Written here
// rather than taken from npm: the `bankid` package (3.2.1) fixes its base URL to BankID's two hosts,
// so it cannot reach the local test server or a proxy named by BANKID_URL, and it sets no timeout.

export interface BankIdClientConfig {
  /** e.g. https://appapi2.test.bankid.com/rp/v6.0 */
  url: string;
  /** The relying party's certificate and key (PKCS#12) and its passphrase. */
  pfx: Buffer;
  passphrase: string;
  /** The CA that issued BankID's server certificate (PEM). */
  ca: string | Buffer;
  timeoutMs?: number;
}

/**
 * A call that did not give an answer to use. `transient`: worth trying again later (the service is
 * down, slow or busy); otherwise the request itself is wrong or refused, and trying again gives the same.
 */
export class BankIdCallError extends Error {
  constructor(
    readonly errorCode: string,
    readonly transient: boolean,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BankIdCallError';
  }
}

const TRANSIENT_CODES = new Set<string>(['requestTimeout', 'tooManyRequests', 'internalError', 'maintenance', 'unreachable', 'timeout']);

export interface BankIdClient {
  sign(body: BankIdOrderRequest): Promise<BankIdOrder>;
  auth(body: BankIdOrderRequest): Promise<BankIdOrder>;
  collect(orderRef: string): Promise<BankIdCollect>;
  cancel(orderRef: string): Promise<void>;
  close(): void;
}

export function createBankIdClient(config: BankIdClientConfig): BankIdClient {
  const agent = new Agent({ pfx: config.pfx, passphrase: config.passphrase, ca: config.ca, keepAlive: true });
  const timeout = config.timeoutMs ?? 10_000;
  const base = config.url.replace(/\/$/, '');

  const call = <T>(method: string, body: unknown, schema: z.ZodType<T>) =>
    new Promise<T>((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body), 'utf8');
      const req = request(`${base}/${method}`, {
        method: 'POST',
        agent,
        // BankID refuses a charset parameter on application/json (415).
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
        timeout,
      });
      req.on('timeout', () => req.destroy(new BankIdCallError('timeout', true, `BankID svarade inte inom ${timeout} ms (${method}).`)));
      req.on('error', (error) =>
        reject(
          error instanceof BankIdCallError
            ? error
            : new BankIdCallError('unreachable', true, `BankID gick inte att nå (${method}): ${(error as Error).message}`),
        ),
      );
      req.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) =>
          reject(new BankIdCallError('unreachable', true, `Svaret från BankID bröts (${method}): ${error.message}`)),
        );
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          let json: unknown;
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
          } catch {
            json = undefined;
          }
          if (status !== 200) {
            const error = BankIdErrorSchema.safeParse(json);
            const errorCode = error.success
              ? error.data.errorCode
              : (Object.entries(BANKID_ERRORS).find(([, s]) => s === status)?.[0] ?? 'unknown');
            const details = error.success ? error.data.details : '';
            return reject(
              new BankIdCallError(
                errorCode,
                TRANSIENT_CODES.has(errorCode) || status >= 500,
                `BankID svarade ${status} ${errorCode} (${method}) ${details}`.trim(),
                status,
              ),
            );
          }
          const parsed = schema.safeParse(json);
          if (!parsed.success)
            return reject(new BankIdCallError('unexpectedResponse', false, `BankID svarade med något oväntat (${method}).`, status));
          resolve(parsed.data);
        });
      });
      req.end(payload);
    });

  return {
    sign: (body) => call('sign', body, BankIdOrderResponseSchema),
    auth: (body) => call('auth', body, BankIdOrderResponseSchema),
    collect: (orderRef) => call('collect', { orderRef }, BankIdCollectResponseSchema),
    cancel: async (orderRef) => {
      await call('cancel', { orderRef }, z.object({}));
    },
    close: () => agent.destroy(),
  };
}

/** The client of an installation's settings (platform/config.ts), its certificate files read once. */
export const bankIdClientFrom = (settings: { url: string; p12Path: string; passphrase: string; caPath: string }) =>
  createBankIdClient({
    url: settings.url,
    pfx: readFileSync(settings.p12Path),
    passphrase: settings.passphrase,
    ca: readFileSync(settings.caPath),
  });
