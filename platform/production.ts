import { ConfigError, type AppConfig } from './config';

/** The separate worker and API processes run against real services only; this says which are missing. */
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
  return { databaseUrl: config.databaseUrl!, temporalAddress: config.temporal.address!, smtpUrl: config.smtpUrl! };
}

/** Runs main, printing a configuration error as one line instead of a stack trace. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error) => {
    console.error(error instanceof ConfigError ? `✗ ${error.message}` : error);
    process.exit(1);
  });
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
