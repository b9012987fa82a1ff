import { execFile, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../platform/net';
import { eventually } from './eventually';

// A real Dovecot from Debian as the bounce mailbox (issue 26): an instance of its own under a
// temporary directory, one user, plain IMAP on a free port of the loopback. Started as root, as
// its master process expects; the mail is kept as the nobody user.

const run = promisify(execFile);
const DOVECOT = '/usr/sbin/dovecot';

export interface Dovecot {
  url: string;
  port: number;
  user: string;
  password: string;
  start(): Promise<void>;
  /** Stops the server (connections drop) and keeps the mail, as an outage does. */
  stop(): Promise<void>;
  remove(): Promise<void>;
  log(): string;
}

export async function createDovecot(): Promise<Dovecot> {
  if (!existsSync(DOVECOT)) throw new Error('Dovecot saknas: installera Debian-paketet dovecot-imapd (README, "Förutsättningar").');
  if (userInfo().uid !== 0) throw new Error('Dovecot-testet kör en egen Dovecot, vars master-process måste startas som root.');
  const dir = mkdtempSync(join(tmpdir(), 'medborgarlofte-dovecot-'));
  chmodSync(dir, 0o755);
  const home = join(dir, 'home');
  for (const sub of ['run', 'state', 'home']) mkdirSync(join(dir, sub));
  const { stdout: nobody } = await run('id', ['-u', 'nobody']);
  chownSync(home, Number(nobody.trim()), 0);
  const port = await freePort();
  const user = 'studs';
  const password = 'studs-lösen';
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${password}\n`);
  const config = join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    [
      `base_dir = ${join(dir, 'run')}`,
      `state_dir = ${join(dir, 'state')}`,
      `log_path = ${join(dir, 'log')}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      'first_valid_uid = 1',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u ${join(dir, 'users')}\n}`,
      `userdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=${home}/%u\n}`,
      'mail_location = maildir:~/Maildir',
      `service imap-login {\n  chroot =\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service anvil {\n  chroot =\n}',
      '',
    ].join('\n'),
  );
  const log = () => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '');
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const dovecot: Dovecot = {
    url: `imap://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX`,
    port,
    user,
    password,
    async start() {
      // No pipes: the daemon it leaves behind would hold them open, and the wait with them.
      const exitCode = await new Promise((resolve) => spawn(DOVECOT, ['-c', config], { stdio: 'ignore' }).on('exit', resolve));
      if (exitCode !== 0) throw new Error(`Dovecot startade inte (${String(exitCode)}):\n${log()}`);
      await eventually(async () => expect(await listening()).toBe(true), 20_000);
    },
    async stop() {
      await new Promise((resolve) => spawn(DOVECOT, ['-c', config, 'stop'], { stdio: 'ignore' }).on('exit', resolve));
      await eventually(async () => expect(await listening()).toBe(false), 20_000);
    },
    async remove() {
      await dovecot.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log,
  };
  await dovecot.start();
  return dovecot;
}
