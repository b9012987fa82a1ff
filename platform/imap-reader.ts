import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { MAX_INBOUND_BYTES } from './inbound-mail';

// Reads the bounce mailbox over IMAP (BOUNCE_IMAP_URL): every message in it is handed over, then
// moved to a folder of its own, so what is left in the mailbox is exactly what was not taken in
// yet. New mail is noticed through IDLE (imapflow starts it when the connection rests), with a
// sweep every minute as well. A lost connection, or a mailbox away for an hour, is met by
// connecting again with a growing pause; a message whose hand-over failed stays and comes again.

export interface ImapReaderOptions {
  /** imaps://user:password@host:993/INBOX (imap:// uses STARTTLS when offered). */
  url: string;
  /** Where a message goes once taken in (created if missing). */
  processedFolder: string;
  receive(raw: Buffer): Promise<unknown>;
  /** A message over the size limit: counted, moved, never downloaded. */
  onTooLarge(): void;
  /** The connection failed or dropped (a metric); the reader connects again by itself. */
  onUnreachable(error: unknown): void;
  logger?: Logger;
  /** Extra TLS options (a test's own CA). */
  tls?: { ca?: string | Buffer };
  sweepEveryMs?: number;
}

const MIN_PAUSE_MS = 1_000;
const MAX_PAUSE_MS = 60_000;

export function connectionOf(url: string) {
  const parsed = new URL(url);
  if (parsed.protocol !== 'imap:' && parsed.protocol !== 'imaps:') throw new Error('BOUNCE_IMAP_URL ska börja med imap:// eller imaps://');
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    mailbox: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export function startImapReader(options: ImapReaderOptions): { stop(): Promise<void> } {
  const { mailbox, ...connection } = connectionOf(options.url);
  let stopped = false;
  let current: ImapFlow | undefined;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Takes in every message in the mailbox, oldest first; throws (leaving the rest) if one cannot be. */
  async function takeAll(client: ImapFlow): Promise<void> {
    const uids = (await client.search({ all: true }, { uid: true })) || [];
    for (const uid of uids) {
      if (stopped) return;
      const sized = await client.fetchOne(String(uid), { size: true }, { uid: true });
      if (!sized) continue; // expunged meanwhile
      if ((sized.size ?? 0) > MAX_INBOUND_BYTES) options.onTooLarge();
      else {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!message || !message.source) continue;
        await options.receive(message.source);
      }
      await client.messageMove(String(uid), options.processedFolder, { uid: true });
    }
  }

  async function session(): Promise<void> {
    const client = new ImapFlow({ ...connection, logger: false, ...(options.tls ? { tls: options.tls } : {}) });
    current = client;
    let arrived = false;
    client.on('exists', () => {
      arrived = true;
      wake?.();
    });
    client.on('error', (error: Error) => options.logger?.warn({ err: error }, 'studsbrevlådan: anslutningen bröts'));
    client.on('close', () => wake?.());
    await client.connect();
    try {
      await client.mailboxCreate(options.processedFolder).catch(() => undefined); // it exists already
      const lock = await client.getMailboxLock(mailbox);
      try {
        while (!stopped && client.usable) {
          arrived = false;
          await takeAll(client);
          if (!arrived) await pause(options.sweepEveryMs ?? 60_000);
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  const running = (async () => {
    let pauseMs = MIN_PAUSE_MS;
    while (!stopped) {
      try {
        await session();
        pauseMs = MIN_PAUSE_MS;
      } catch (error) {
        if (stopped) break;
        options.onUnreachable(error);
        options.logger?.warn({ err: error, retryInMs: pauseMs }, 'studsbrevlådan: kunde inte läsas; försöker igen');
        await pause(pauseMs);
        pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
      }
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      current?.close();
      await running;
    },
  };
}
