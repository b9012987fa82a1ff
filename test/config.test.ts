import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../platform/config';
import { requireExternalServices } from '../platform/production';

// Production (the separate API and worker processes) refuses settings that would send links to
// localhost or over plain http, mail from a domain nobody can answer, or trust any client's claim
// about its own address.

const SERVICES = {
  DATABASE_URL: 'postgresql://app@db.kommun.se/loften',
  TEMPORAL_ADDRESS: 'temporal.kommun.se:7233',
  SMTP_URL: 'smtp://relay.kommun.se:587',
};
const PRODUCTION = { ...SERVICES, PUBLIC_BASE_URL: 'https://loften.kommun.se', MAIL_FROM: 'Medborgarlöften Lessebo <noreply@lessebo.se>' };

test('production needs an https PUBLIC_BASE_URL and a MAIL_FROM on a real domain', () => {
  expect(() => requireExternalServices(loadConfig(PRODUCTION))).not.toThrow();
  const { PUBLIC_BASE_URL: _url, ...withoutUrl } = PRODUCTION;
  expect(() => requireExternalServices(loadConfig(withoutUrl))).toThrow(/PUBLIC_BASE_URL ska vara tjänstens https-adress.*localhost/);
  expect(() => requireExternalServices(loadConfig({ ...PRODUCTION, PUBLIC_BASE_URL: 'http://loften.kommun.se' }))).toThrow(ConfigError);
  const { MAIL_FROM: _from, ...withoutFrom } = PRODUCTION;
  expect(() => requireExternalServices(loadConfig(withoutFrom))).toThrow(/MAIL_FROM ska vara en avsändare/);
  expect(() => requireExternalServices(loadConfig({ ...PRODUCTION, MAIL_FROM: 'noreply@kommun.example' }))).toThrow(/MAIL_FROM/);
});

test.each([
  'noreply@localhost.',
  'noreply@lessebo.test.',
  'Lessebo <noreply@LESSEBO.TEST>',
  'noreply@[127.0.0.1]',
  'noreply@[IPv6:::1]',
  'noreply@kommun.home.arpa',
  'noreply@mail.internal',
  'noreply@intranet',
  'noreply@tjanst.onion',
  'noreply@10.in-addr.arpa',
])('production refuses MAIL_FROM %s however it is written', (mailFrom) => {
  expect(() => requireExternalServices(loadConfig({ ...PRODUCTION, MAIL_FROM: mailFrom }))).toThrow(/MAIL_FROM ska vara en avsändare/);
});

test.each([
  'https://localhost',
  'https://localhost.',
  'https://LocalHost:8443/loften',
  'https://127.0.0.1',
  'https://2130706433',
  'https://[::1]',
  'https://loften.kommun.internal',
  'https://loften.home.arpa',
  'https://loften',
])('production refuses PUBLIC_BASE_URL %s however it is written', (url) => {
  expect(() => requireExternalServices(loadConfig({ ...PRODUCTION, PUBLIC_BASE_URL: url }))).toThrow(/PUBLIC_BASE_URL ska vara/);
});

test('production takes a public name with a trailing dot as the same name', () => {
  expect(() =>
    requireExternalServices(loadConfig({ ...PRODUCTION, PUBLIC_BASE_URL: 'https://loften.kommun.se.', MAIL_FROM: 'noreply@Lessebo.SE.' })),
  ).not.toThrow();
});

test('TRUST_PROXY is off by default, takes a hop count or addresses, and refuses "true"', () => {
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
  expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16']);
  expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true litar på alla/);
});

test('a worker keeps at most WORKER_CACHED_WORKFLOWS workflows in memory, 500 unless set', () => {
  expect(loadConfig({}).workerCachedWorkflows).toBe(500);
  expect(loadConfig({ WORKER_CACHED_WORKFLOWS: '50' }).workerCachedWorkflows).toBe(50);
  expect(() => loadConfig({ WORKER_CACHED_WORKFLOWS: 'många' })).toThrow(/WORKER_CACHED_WORKFLOWS/);
});

test('metrics listen on the local interface at 9464 (API), 9465 (worker) and 9466 (Temporal SDK) unless set; 0 turns one off', () => {
  expect(loadConfig({}).metrics).toEqual({ host: '127.0.0.1', apiPort: 9464, workerPort: 9465, temporalPort: 9466 });
  expect(loadConfig({ METRICS_HOST: '0.0.0.0', WORKER_METRICS_PORT: '0' }).metrics).toMatchObject({ host: '0.0.0.0', workerPort: 0 });
  expect(() => loadConfig({ API_METRICS_PORT: '70000' })).toThrow(/API_METRICS_PORT/);
});

test('the API process refuses to start without PUBLIC_BASE_URL, saying why in one line', () => {
  const { PUBLIC_BASE_URL: _url, ...env } = PRODUCTION;
  const root = join(__dirname, '..');
  const run = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'api', 'main.ts')], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  expect(run.stderr.trim()).toMatch(/^✗ PUBLIC_BASE_URL ska vara tjänstens https-adress/);
});

test('bounces are read only when asked: IMAP or an SMTP port, each needing BOUNCE_ADDRESS, named in one line when wrong', () => {
  expect(loadConfig(PRODUCTION).bounceIntake).toEqual({ imapFolder: 'Behandlade', smtpHost: '0.0.0.0' });
  const imap = 'imaps://studs:hemligt@imap.lessebo.se/INBOX';
  expect(
    loadConfig({ ...PRODUCTION, BOUNCE_ADDRESS: 'studs@lessebo.se', BOUNCE_IMAP_URL: imap, BOUNCE_SMTP_PORT: '2526' }).bounceIntake,
  ).toEqual({
    imapUrl: imap,
    imapFolder: 'Behandlade',
    smtpPort: 2526,
    smtpHost: '0.0.0.0',
  });
  expect(() => loadConfig({ ...PRODUCTION, BOUNCE_IMAP_URL: imap })).toThrow(/BOUNCE_IMAP_URL och BOUNCE_SMTP_PORT kräver BOUNCE_ADDRESS/);
  expect(() => loadConfig({ ...PRODUCTION, BOUNCE_ADDRESS: 'studs@lessebo.se', BOUNCE_IMAP_URL: 'https://imap.lessebo.se' })).toThrow(
    /BOUNCE_IMAP_URL.*imaps:\/\//,
  );
  expect(() => loadConfig({ ...PRODUCTION, BOUNCE_ADDRESS: 'studs@lessebo.se', BOUNCE_SMTP_PORT: '70000' })).toThrow(/BOUNCE_SMTP_PORT/);
});
