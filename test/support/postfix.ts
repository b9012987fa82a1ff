import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../platform/net';
import { eventually } from './eventually';

// A real Postfix from Debian as the organisation's relay (issue 26), an instance of its own under a
// temporary directory on free ports: it takes every recipient with 250 and delivers afterwards,
// to the local mailbox (relayhost); a domain routed to its `error` transport fails for good and one
// routed to `retry` is delayed, so Postfix itself writes the delivery status notifications, which
// it sends to the bounce address's domain through the port given. Postfix's master runs as root
// (as on a mail server); CI runs as root.

const run = promisify(execFile);
const POSTFIX = '/usr/sbin/postfix';

export interface PostfixOptions {
  /** Its SMTP port; a free one by default (given, when the sender must know it before Postfix starts). */
  port?: number;
  /** Where everything else is delivered (the local mailbox's port). */
  relayPort: number;
  /** The bounce address's domain, and the port that takes its mail (the product's inbound SMTP port). */
  bounceDomain: string;
  bouncePort: number;
  /** Recipients here are taken, then fail for good: "550 5.1.1 Mailbox does not exist". */
  failingDomain: string;
  /** Recipients here are taken, then deferred ("4.2.2 Mailbox full"), with a delay warning after 10 s. */
  delayingDomain: string;
}

export interface Postfix {
  port: number;
  smtpUrl: string;
  /** Postfix's own log, for a failing test's message. */
  log(): string;
  stop(): Promise<void>;
}

export async function startPostfix(options: PostfixOptions): Promise<Postfix> {
  if (!existsSync(POSTFIX)) throw new Error('Postfix saknas: installera Debian-paketet postfix (README, "Förutsättningar").');
  if (userInfo().uid !== 0) throw new Error('Postfix-testet kör en egen Postfix, vars master-process måste startas som root.');
  const dir = mkdtempSync(join(tmpdir(), 'medborgarlofte-postfix-'));
  chmodSync(dir, 0o755); // Postfix's own processes run as the postfix user
  const etc = join(dir, 'etc');
  const data = join(dir, 'data');
  for (const sub of [etc, data, join(dir, 'queue')]) mkdirSync(sub);
  const { stdout: postfixUid } = await run('id', ['-u', 'postfix']);
  chownSync(data, Number(postfixUid.trim()), 0);
  const port = options.port ?? (await freePort());
  const services = [
    'pickup unix n - n 60 1 pickup',
    'cleanup unix n - n - 0 cleanup',
    'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite',
    'bounce unix - - n - 0 bounce',
    'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce',
    'verify unix - - n - 1 verify',
    'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap',
    'smtp unix - - n - - smtp',
    'relay unix - - n - - smtp',
    'showq unix n - n - - showq',
    'error unix - - n - - error',
    'retry unix - - n - - error',
    'discard unix - - n - - discard',
    'anvil unix - - n - 1 anvil',
    'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd',
  ];
  writeFileSync(join(etc, 'master.cf'), [`127.0.0.1:${port} inet n - n - - smtpd`, ...services, ''].join('\n'));
  const transports = [
    `{ ${options.failingDomain} = error:5.1.1 Mailbox does not exist }`,
    `{ ${options.delayingDomain} = retry:4.2.2 Mailbox full }`,
    `{ ${options.bounceDomain} = smtp:[127.0.0.1]:${options.bouncePort} }`,
  ];
  writeFileSync(
    join(etc, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${join(dir, 'queue')}`,
      `data_directory = ${data}`,
      'mail_owner = postfix',
      'setgid_group = postdrop',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'myhostname = relay.kommun.test',
      'mydomain = kommun.test',
      'mydestination =',
      'local_recipient_maps =',
      'alias_maps =',
      'alias_database =',
      'mynetworks = 127.0.0.0/8',
      'relay_domains = static:ALL',
      'smtpd_relay_restrictions = permit_mynetworks, reject',
      // Take every recipient at RCPT, as an organisation's relay does; the failure comes later.
      'smtpd_reject_unlisted_recipient = no',
      `transport_maps = inline:{ ${transports.join(', ')} }`,
      `relayhost = [127.0.0.1]:${options.relayPort}`,
      'delay_warning_time = 10s',
      'queue_run_delay = 1s',
      'minimal_backoff_time = 1s',
      'maximal_backoff_time = 2s',
      'smtp_tls_security_level = none',
      'smtpd_tls_security_level = none',
      `maillog_file_prefixes = ${dir}`,
      `maillog_file = ${join(dir, 'maillog')}`,
      '',
    ].join('\n'),
  );
  await run(POSTFIX, ['-c', etc, 'start']);
  const log = () => (existsSync(join(dir, 'maillog')) ? readFileSync(join(dir, 'maillog'), 'utf8') : '');
  await eventually(() => expect(log()).toContain('daemon started'), 20_000);
  return {
    port,
    smtpUrl: `smtp://127.0.0.1:${port}`,
    log,
    async stop() {
      await run(POSTFIX, ['-c', etc, 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
