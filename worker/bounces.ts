import type { Logger } from 'pino';
import type { AppConfig } from '../platform/config';
import { startImapReader } from '../platform/imap-reader';
import { startInboundSmtp } from '../platform/inbound-smtp';
import { domainOf } from '../domain/return-path';
import { createBounceIntake, type BounceIntakeDeps } from './bounce-intake';

// The ways bounces reach the worker, as configured (README, "Studsar"): the bounce mailbox read
// over IMAP, the worker's own inbound SMTP port, both, or neither.

export async function startBounceReaders(
  config: Pick<AppConfig, 'bounceIntake' | 'bounceAddress'>,
  deps: Omit<BounceIntakeDeps, 'bounceAddress'> & { logger?: Logger },
): Promise<{ smtpPort?: number; stop(): Promise<void> }> {
  const { bounceAddress, bounceIntake: settings } = config;
  if (!bounceAddress || (settings.imapUrl === undefined && settings.smtpPort === undefined)) return { stop: async () => undefined };
  const intake = createBounceIntake({ ...deps, bounceAddress });
  const imap =
    settings.imapUrl === undefined
      ? undefined
      : startImapReader({
          url: settings.imapUrl,
          processedFolder: settings.imapFolder,
          receive: (raw) => intake(raw),
          onTooLarge: () => deps.metrics?.inboundMail.inc({ outcome: 'unreadable' }),
          onUnreachable: () => deps.metrics?.inboundMail.inc({ outcome: 'mailbox_unreachable' }),
          ...(deps.logger ? { logger: deps.logger } : {}),
        });
  const smtp =
    settings.smtpPort === undefined
      ? undefined
      : await startInboundSmtp({
          host: settings.smtpHost,
          port: settings.smtpPort,
          domain: domainOf(bounceAddress),
          receive: intake,
          ...(deps.logger ? { logger: deps.logger } : {}),
        });
  return {
    ...(smtp ? { smtpPort: smtp.port } : {}),
    async stop() {
      await imap?.stop();
      await smtp?.close();
    },
  };
}
