import { parseNetworks } from './outbound';
import { join } from 'node:path';
import { z } from 'zod';
import { DurationSchema } from '../domain/settings';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../domain/retention';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../domain/sessions';
import { fieldProblems } from '../domain/validation';
import { describeProblems } from '../domain/problems';
import { parsePayloadKeys, type PayloadKey } from './payload-codec';

// Every setting comes from the environment (README: "Miljövariabler"). Unset service addresses
// mean "run the embedded one": that is how `npm start` works with no set-up.

const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1'));

/** PAYLOAD_ENCRYPTION_KEYS: the keys, or a problem that names what is wrong (never a key). */
const PayloadKeysSchema = z
  .string()
  .optional()
  .transform((value, ctx): PayloadKey[] | undefined => {
    if (value === undefined || value.trim() === '') return undefined;
    try {
      return parsePayloadKeys(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/**
 * Which proxies in front of the API to believe about the client's address (X-Forwarded-For): none
 * by default; a hop count ("1": the one load balancer in front), or a list of addresses or CIDR
 * ranges. Never "true": then any client could write the address a signature records.
 */
const TrustProxySchema = z
  .string()
  .optional()
  .transform((value, ctx): number | string[] | false => {
    if (value === undefined || value === 'false' || value === '0') return false;
    if (/^\d+$/.test(value)) return Number(value);
    if (value === 'true') {
      ctx.addIssue({ code: 'custom', message: 'true litar på alla; ange antalet proxyer framför API:t (t.ex. 1) eller deras adresser' });
      return z.NEVER;
    }
    return value
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean);
  });

/** A port for metrics; 0 turns that endpoint off. */
const metricsPort = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** A retention limit: shorter than the default if the organisation wants, never longer. */
const notLongerThan = (fallback: number) => z.coerce.number().int().min(1).max(fallback).default(fallback);

const perMinute = (fallback: number) => z.coerce.number().int().min(1).max(1_000_000).default(fallback);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_BASE_URL: optional.pipe(z.url().optional()),
  DATA_DIR: optional,
  START_MUNICIPALITY: z.string().trim().min(1).default('Lessebo'),
  DATABASE_URL: optional.pipe(z.url().optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
  COMMAND_DEADLINE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  TEMPORAL_ADDRESS: optional,
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('medborgarlofte'),
  TEMPORAL_API_KEY: optional,
  TEMPORAL_TLS: flag,
  TEMPORAL_TLS_CERT_PATH: optional,
  TEMPORAL_TLS_KEY_PATH: optional,
  TEMPORAL_TLS_CA_PATH: optional,
  TEMPORAL_TLS_SERVER_NAME: optional,
  TEMPORAL_DEV_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_DEV_UI_PORT: z.coerce.number().int().default(8233),
  METRICS_HOST: z.string().default('127.0.0.1'),
  API_METRICS_PORT: metricsPort(9464),
  WORKER_METRICS_PORT: metricsPort(9465),
  TEMPORAL_METRICS_PORT: metricsPort(9466),
  SMTP_URL: optional,
  MAIL_FROM: z.string().default('Medborgarlöften <noreply@medborgarloften.localhost>'),
  MAIL_DAILY_LIMIT_PER_RECIPIENT: z.coerce.number().int().min(1).max(10_000).default(50),
  LINK_SECRET: optional.pipe(z.string().min(32, 'ska vara minst 32 tecken, t.ex. från openssl rand -base64 32').optional()),
  PAYLOAD_ENCRYPTION_KEYS: PayloadKeysSchema,
  DEV_SMTP_PORT: z.coerce.number().int().default(2525),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  TRUST_PROXY: optional.pipe(TrustProxySchema),
  RATE_LIMIT_LINK_PAGES: perMinute(60),
  RATE_LIMIT_LINK_POSTS: perMinute(10),
  RATE_LIMIT_API: perMinute(600),
  SESSION_IDLE: DurationSchema.default(DEFAULT_SESSION_POLICY.idle),
  SESSION_MAX: DurationSchema.default(DEFAULT_SESSION_POLICY.max),
  SIGN_IN_LINK_TTL: DurationSchema.default(DEFAULT_SESSION_POLICY.signInLink),
  BANKID_URL: optional.pipe(z.url().optional()),
  BANKID_CLIENT_P12: optional,
  BANKID_PASSPHRASE: optional,
  BANKID_CA: optional,
  BANKID_APP_URL: z.string().default('bankid:///'),
  WEBHOOK_ALLOWED_NETWORKS: optional,
  BOUNCE_ADDRESS: optional.pipe(z.email('ska vara en e-postadress, t.ex. studs@kommun.se').optional()),
  BOUNCE_IMAP_URL: optional.pipe(
    z.url({ protocol: /^imaps?$/, error: 'ska vara imaps://användare:lösenord@värd/INBOX (eller imap://)' }).optional(),
  ),
  BOUNCE_IMAP_FOLDER: z.string().min(1).default('Behandlade'),
  BOUNCE_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  BOUNCE_SMTP_HOST: z.string().default('0.0.0.0'),
  RETENTION_TECHNICAL_DAYS: notLongerThan(DEFAULT_RETENTION.technicalDays),
  RETENTION_RELAY_ANSWER_DAYS: notLongerThan(DEFAULT_RETENTION.relayAnswerDays),
  RETENTION_ADDRESS_MONTHS: notLongerThan(DEFAULT_RETENTION.addressMonths),
});

export interface TemporalSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
}

export interface AppConfig {
  port: number;
  host: string;
  publicBaseUrl: string;
  dataDir: string;
  /** `npm start`: the municipality whose coordinator the local coordinator is (and may invite colleagues into). */
  startMunicipality: string;
  /** Undefined: run the embedded database (PGlite) under dataDir. */
  databaseUrl?: string;
  databasePoolSize: number;
  /** Workflows a worker keeps in memory; one beyond it is replayed from its history when it next runs. */
  workerCachedWorkflows: number;
  /** How long the API waits for a worker to take a command, and then to carry it out, before answering 503. */
  commandDeadlineMs: number;
  /** Undefined address: run the Temporal dev server. */
  temporal: Omit<TemporalSettings, 'address'> & { address?: string; devPort: number; devUiPort: number };
  /** Where Prometheus scrapes: the API's and the worker's own metrics, and the Temporal SDK's; port 0 is off. */
  metrics: { host: string; apiPort: number; workerPort: number; temporalPort: number };
  /** Undefined: run the local mailbox (an SMTP server whose mail is read at /dev/mailbox). */
  smtpUrl?: string;
  mailFrom: string;
  /** No address gets more e-mails than this in 24 hours, whatever the promises' settings. */
  mailDailyLimitPerRecipient: number;
  /**
   * The mailbox bounces go to (BOUNCE_ADDRESS): each e-mail's return path is this address with the
   * outbox row after a "+" (domain/return-path.ts); undefined: the envelope sender is MAIL_FROM's.
   */
  bounceAddress?: string;
  /** Where bounces are read (worker/bounces.ts): a mailbox over IMAP, and/or an SMTP port of the worker's own; neither by default. */
  bounceIntake: { imapUrl?: string; imapFolder: string; smtpPort?: number; smtpHost: string };
  /** Private networks webhooks may reach although not public (WEBHOOK_ALLOWED_NETWORKS, CIDR); none by default. */
  webhookAllowedNetworks: string[];
  /** The key personal links are derived from; undefined: `npm start` keeps one under dataDir. */
  linkSecret?: string;
  /** The keys Temporal's payloads are encrypted with, the current first; undefined: `npm start` keeps one under dataDir. */
  payloadKeys?: PayloadKey[];
  devSmtpPort: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Fastify's trustProxy: false, a hop count, or the proxies' addresses. */
  trustProxy: number | string[] | false;
  rateLimits: RateLimits;
  /** How long coordinators stay signed in in the browser, and how long a sign-in link works. */
  sessionPolicy: SessionPolicy;
  /** How long personal data is kept (domain/retention.ts); the nightly retention run applies it. */
  retention: RetentionPolicy;
  /** BankID's API and the relying party's certificate; undefined: `npm start` runs the local BankID server, production has no BankID. */
  bankId?: BankIdSettings;
  /** Where an autostart link opens the BankID app: bankid:/// (the app) unless a test phone stands in. */
  bankIdAppUrl: string;
}

export interface BankIdSettings {
  url: string;
  /** Paths: the client certificate and key (PKCS#12) and the CA that issued BankID's server certificate (PEM). */
  p12Path: string;
  passphrase: string;
  caPath: string;
}

/** Requests per minute from one address (as seen through TRUST_PROXY). */
export interface RateLimits {
  /** GET of a signing or report page: a guessed link costs one. */
  linkPages: number;
  /** A signature, a decline or a report. */
  linkPosts: number;
  /** The coordinators' API and everything else. */
  api: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, root = join(__dirname, '..')): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Felaktig miljövariabel: ${describeProblems(fieldProblems(parsed.error))}`);
  const e = parsed.data;
  const bankIdParts = [e.BANKID_CLIENT_P12, e.BANKID_PASSPHRASE, e.BANKID_CA];
  if (e.BANKID_URL && bankIdParts.some((part) => !part)) {
    throw new ConfigError('BANKID_URL kräver också BANKID_CLIENT_P12, BANKID_PASSPHRASE och BANKID_CA (README, "BankID").');
  }
  if ((e.BOUNCE_IMAP_URL || e.BOUNCE_SMTP_PORT) && !e.BOUNCE_ADDRESS) {
    throw new ConfigError('BOUNCE_IMAP_URL och BOUNCE_SMTP_PORT kräver BOUNCE_ADDRESS (README, "Studsar").');
  }
  let webhookAllowedNetworks: string[];
  try {
    webhookAllowedNetworks = parseNetworks(e.WEBHOOK_ALLOWED_NETWORKS).map(([network, prefix]) => `${network}/${prefix}`);
  } catch (error) {
    throw new ConfigError(`WEBHOOK_ALLOWED_NETWORKS: ${(error as Error).message}`);
  }
  const useTls = e.TEMPORAL_TLS ?? Boolean(e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CERT_PATH);
  if (Boolean(e.TEMPORAL_TLS_CERT_PATH) !== Boolean(e.TEMPORAL_TLS_KEY_PATH)) {
    throw new ConfigError('TEMPORAL_TLS_CERT_PATH och TEMPORAL_TLS_KEY_PATH anges tillsammans (mTLS-klientcertifikat).');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    dataDir: e.DATA_DIR ?? join(root, '.data'),
    startMunicipality: e.START_MUNICIPALITY,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_URL ? e.DATABASE_POOL_SIZE : 1,
    workerCachedWorkflows: e.WORKER_CACHED_WORKFLOWS,
    commandDeadlineMs: e.COMMAND_DEADLINE_SECONDS * 1000,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: useTls
        ? {
            certPath: e.TEMPORAL_TLS_CERT_PATH,
            keyPath: e.TEMPORAL_TLS_KEY_PATH,
            caPath: e.TEMPORAL_TLS_CA_PATH,
            serverName: e.TEMPORAL_TLS_SERVER_NAME,
          }
        : undefined,
      devPort: e.TEMPORAL_DEV_PORT,
      devUiPort: e.TEMPORAL_DEV_UI_PORT,
    },
    metrics: {
      host: e.METRICS_HOST,
      apiPort: e.API_METRICS_PORT,
      workerPort: e.WORKER_METRICS_PORT,
      temporalPort: e.TEMPORAL_METRICS_PORT,
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailDailyLimitPerRecipient: e.MAIL_DAILY_LIMIT_PER_RECIPIENT,
    linkSecret: e.LINK_SECRET,
    payloadKeys: e.PAYLOAD_ENCRYPTION_KEYS,
    devSmtpPort: e.DEV_SMTP_PORT,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    rateLimits: { linkPages: e.RATE_LIMIT_LINK_PAGES, linkPosts: e.RATE_LIMIT_LINK_POSTS, api: e.RATE_LIMIT_API },
    sessionPolicy: { idle: e.SESSION_IDLE, max: e.SESSION_MAX, signInLink: e.SIGN_IN_LINK_TTL },
    retention: {
      technicalDays: e.RETENTION_TECHNICAL_DAYS,
      relayAnswerDays: e.RETENTION_RELAY_ANSWER_DAYS,
      addressMonths: e.RETENTION_ADDRESS_MONTHS,
    },
    bankId: e.BANKID_URL
      ? { url: e.BANKID_URL, p12Path: e.BANKID_CLIENT_P12!, passphrase: e.BANKID_PASSPHRASE!, caPath: e.BANKID_CA! }
      : undefined,
    bankIdAppUrl: e.BANKID_APP_URL,
    webhookAllowedNetworks,
    ...(e.BOUNCE_ADDRESS ? { bounceAddress: e.BOUNCE_ADDRESS } : {}),
    bounceIntake: {
      ...(e.BOUNCE_IMAP_URL ? { imapUrl: e.BOUNCE_IMAP_URL } : {}),
      imapFolder: e.BOUNCE_IMAP_FOLDER,
      ...(e.BOUNCE_SMTP_PORT ? { smtpPort: e.BOUNCE_SMTP_PORT } : {}),
      smtpHost: e.BOUNCE_SMTP_HOST,
    },
  };
}
