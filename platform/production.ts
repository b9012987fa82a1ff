import { nonPublicHostReason } from '../domain/public-hosts';
import { ConfigError, type AppConfig } from './config';
import { mailDomainOf } from './mailer';
import { EncryptionCodec, keyFingerprint, type PayloadKey } from './payload-codec';

/** The host of an URL, or undefined when it is no URL. */
const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
};

/**
 * The separate worker and API processes are production: real services, links that reach people
 * over https, and mail from a domain that can receive the replies. This says what is missing.
 */
export function requireExternalServices(config: AppConfig): { databaseUrl: string; temporalAddress: string; smtpUrl: string } {
  const missing = [
    !config.databaseUrl && 'DATABASE_URL',
    !config.temporal.address && 'TEMPORAL_ADDRESS',
    !config.smtpUrl && 'SMTP_URL',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new ConfigError(
      `${missing.join(', ')} saknas. Worker och API körda var för sig behöver riktiga tjänster; ` +
        'för allt-i-ett med inbäddade tjänster, kör `npm start`.',
    );
  }
  const baseHost = hostOf(config.publicBaseUrl);
  const baseProblem = baseHost === undefined ? 'är ingen adress' : nonPublicHostReason(baseHost);
  if (!config.publicBaseUrl.startsWith('https://') || baseProblem) {
    throw new ConfigError(
      `PUBLIC_BASE_URL ska vara tjänstens https-adress, som den nås från internet (nu: ${config.publicBaseUrl}` +
        `${baseProblem ? `, som ${baseProblem}` : ''}). Länkarna i e-posten pekar dit.`,
    );
  }
  const mailDomain = mailDomainOf(config.mailFrom);
  const mailProblem = mailDomain === undefined ? 'saknar domän' : nonPublicHostReason(mailDomain);
  if (mailProblem) {
    throw new ConfigError(
      `MAIL_FROM ska vara en avsändare på organisationens domän, t.ex. "Medborgarlöften <noreply@kommun.se>" ` +
        `(nu: ${config.mailFrom}, vars domän ${mailProblem}).`,
    );
  }
  return { databaseUrl: config.databaseUrl!, temporalAddress: config.temporal.address!, smtpUrl: config.smtpUrl! };
}

/** Runs main, printing a configuration error as one line instead of a stack trace. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error instanceof ConfigError ? `✗ ${error.message}` : error);
    process.exit(1);
  });
}

/** The API and every worker encrypt what Temporal holds with the same keys, so they must be given, not made up. */
export function requirePayloadKeys(config: AppConfig): PayloadKey[] {
  if (!config.payloadKeys) {
    throw new ConfigError(
      'PAYLOAD_ENCRYPTION_KEYS saknas. Det Temporal lagrar krypteras med den, och API:t och alla workers ska ha samma ' +
        '(id:nyckel, t.ex. 2026-12:$(openssl rand -base64 32)); se README, Personuppgifter.',
    );
  }
  return config.payloadKeys;
}

/** Every worker derives personal links from the same secret, so it must be given, not made up. */
export function requireLinkSecret(config: AppConfig): string {
  if (!config.linkSecret) {
    throw new ConfigError(
      'LINK_SECRET saknas. Personliga länkar härleds ur den, och alla workers ska ha samma (t.ex. openssl rand -base64 32). ' +
        'Byt den inte medan e-post väntar på att skickas om.',
    );
  }
  return config.linkSecret;
}

/**
 * The codec for these keys, once each key's fingerprint agrees with the one recorded when a process
 * first started with it (`changed` records new ones and gives the ids that differ): a key replaced
 * under the same id stops the process here, loudly, not on every history it cannot read.
 */
export async function checkedPayloadCodec(
  keys: readonly PayloadKey[],
  changed: (fingerprints: { id: string; fingerprint: string }[]) => Promise<string[]>,
): Promise<EncryptionCodec> {
  const differ = await changed(keys.map((key) => ({ id: key.id, fingerprint: keyFingerprint(key) })));
  if (differ.length > 0) {
    throw new ConfigError(
      `PAYLOAD_ENCRYPTION_KEYS: nyckeln ${differ.join(', ')} är inte den som tjänsten startade med under samma id. ` +
        'Det som krypterades med den gamla kan inte läsas; ange den gamla nyckeln igen, och en ny nyckel under ett nytt id (README, Personuppgifter).',
    );
  }
  return new EncryptionCodec(keys);
}
