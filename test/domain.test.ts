import { emails } from '../activities/email-templates';
import { PromiseContentSchema } from '../domain/content';
import { sha256Hex } from '../domain/crypto';
import { canonicalJson, canonicalTextOf } from '../domain/document';
import { DAY_MS, durationToMs } from '../domain/durations';
import { canApply, nextStatus } from '../domain/lifecycle';
import { DEFAULT_SETTINGS } from '../domain/default-settings';
import { reminderTimes, roundMilestones, settingsDeadline } from '../domain/signing-timeline';
import { asOneLine } from '../domain/text';
import { ConfigError, loadConfig } from '../platform/config';
import { lessebo } from './support/promises';
import { movedToYear, startingOn } from '../domain/move-years';
import { addDays, daysBetween } from '../domain/calendar';

describe('canonical document and hash', () => {
  test('key order and whitespace do not change the canonical text', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 'x', c: null }] })).toBe('{"a":[{"c":null,"d":"x"}],"b":1}');
    expect(canonicalJson(JSON.parse('{ "a" : 1 , "b":2 }'))).toBe(canonicalJson({ b: 2, a: 1 }));
  });

  test('the signed text leaves out e-mail addresses, so changing one keeps the hash', () => {
    const content = lessebo();
    const moved = lessebo();
    moved.signatories[0]!.email = 'ny.adress@polisen.example';
    expect(canonicalTextOf(content)).not.toContain('@');
    expect(sha256Hex(canonicalTextOf(moved))).toBe(sha256Hex(canonicalTextOf(content)));
  });

  test('any change of wording changes the hash', () => {
    const edited = lessebo();
    edited.priorityAreas[0]!.commitments[0]!.text += ' Även kvällstid.';
    expect(sha256Hex(canonicalTextOf(edited))).not.toBe(sha256Hex(canonicalTextOf(lessebo())));
  });
});

describe('signing timeline at the default settings', () => {
  const start = Date.UTC(2020, 2, 2);
  const days = (times: number[]) => times.map((t) => (t - start) / DAY_MS);

  test('reminders after 3 days, then every 4 days, at most 4', () => {
    expect(days(reminderTimes(DEFAULT_SETTINGS.signing, start, settingsDeadline(DEFAULT_SETTINGS.signing, start)))).toEqual([3, 7, 11, 15]);
  });

  test('a later group gets its own reminders, none after the deadline', () => {
    expect(days(reminderTimes(DEFAULT_SETTINGS.signing, start + 20 * DAY_MS, settingsDeadline(DEFAULT_SETTINGS.signing, start)))).toEqual([
      23, 27,
    ]);
  });

  test('escalation at 21 days, warning 3 days before the 30-day deadline', () => {
    expect(roundMilestones(DEFAULT_SETTINGS.signing, start).map((m) => [m.kind, (m.at - start) / DAY_MS])).toEqual([
      ['ESCALATION', 21],
      ['DEADLINE_WARNING', 27],
      ['DEADLINE', 30],
    ]);
  });

  test('durations are whole numbers of s, m, h or d', () => {
    expect(durationToMs('90s')).toBe(90_000);
    expect(durationToMs('2d')).toBe(2 * DAY_MS);
    expect(() => durationToMs('3 days')).toThrow();
  });
});

describe('moving a promise to a new period (npm run exempel)', () => {
  test('moved to start today, its document date moves along, as long before the period as it was', () => {
    const moved = startingOn(movedToYear(lessebo(), 2026), '2026-12-02');
    expect(moved.period).toEqual({ start: '2026-12-02', end: addDays('2026-12-31', daysBetween('2026-03-02', '2026-12-02')) });
    // Lessebo's document is dated the day its period began.
    expect(moved.documentDate).toBe('2026-12-02');
  });

  test('the moved document date is a date too across a year end and a leap day', () => {
    const moved = startingOn({ ...lessebo(), documentDate: '2020-02-29' }, '2023-01-10');
    expect(moved.documentDate).toBe(addDays('2020-02-29', daysBetween('2020-03-02', '2023-01-10')));
  });
});

describe('lifecycle', () => {
  test('follows DESIGN.md: draft to signing to active, back to draft on decline, withdraw before closed', () => {
    expect(nextStatus('DRAFT', 'SUBMIT')).toBe('SIGNING');
    expect(nextStatus('SIGNING', 'ALL_SIGNED')).toBe('ACTIVE');
    expect(nextStatus('SIGNING', 'DECLINED')).toBe('DRAFT');
    expect(nextStatus('SIGNING', 'DEADLINE_PASSED')).toBe('DRAFT');
    expect(nextStatus('ACTIVE', 'PERIOD_ENDED')).toBe('FOLLOW_UP');
    expect(nextStatus('FOLLOW_UP', 'FOLLOW_UP_PUBLISHED')).toBe('CLOSED');
    for (const status of ['DRAFT', 'SIGNING', 'ACTIVE', 'FOLLOW_UP'] as const) expect(canApply(status, 'WITHDRAW')).toBe(true);
    expect(canApply('CLOSED', 'WITHDRAW')).toBe(false);
    expect(canApply('ACTIVE', 'SUBMIT')).toBe(false);
  });
});

describe('content validation', () => {
  test('the Lessebo fixture is valid and keeps all eight signatories', () => {
    expect(lessebo().signatories).toHaveLength(8);
  });

  test('a one-off outside the period and a duplicate key are named by path', () => {
    const content = lessebo();
    content.priorityAreas[0]!.commitments[1]!.shape = { kind: 'ONE_OFF', dueDate: '2021-06-01' };
    content.parties[1]!.key = 'polisen';
    const result = PromiseContentSchema.safeParse(content);
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['priorityAreas.0.commitments.1.shape.dueDate', 'parties.1.key']));
  });
});

describe('configuration from the environment', () => {
  test('nothing set means embedded services and local defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      publicBaseUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      smtpUrl: undefined,
      databasePoolSize: 1,
    });
    expect(config.temporal).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'medborgarlofte', tls: undefined });
  });

  test('an API key (Temporal Cloud) turns TLS on', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k' });
    expect(config.temporal.tls).toEqual({});
    expect(config.temporal.apiKey).toBe('k');
  });

  test('a bad value is named', () => {
    expect(() => loadConfig({ PORT: 'tretusen' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'tretusen' })).toThrow(/PORT/);
    expect(() => loadConfig({ TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(/TEMPORAL_TLS_KEY_PATH/);
  });
});

describe('text in e-mails', () => {
  test('a name or title stored before the text rules cannot add lines or reorder the subject', () => {
    const mail = emails.signingRequest({
      signatoryName: 'Anna\r\nBcc: angripare@example.com',
      promiseTitle: 'Trygg\u202Eeh kommun\nX-Extra: 1',
      municipality: 'Lessebo',
      versionNumber: 1,
      documentSha256: '0'.repeat(64),
      deadline: new Date('2027-03-01T00:00:00Z'),
      link: 'https://loften.kommun.se/sign/x',
    });
    expect(mail.subject).toBe('Signera medborgarlöftet: Trygg eh kommun X-Extra: 1');
    expect(asOneLine('a\u2066b\u0000c\td')).toBe('a b c d');
  });
});
