import { FAILED_HINTS, messageFor, nameMatches, PENDING_HINTS, userVisibleText } from '../domain/bankid';
import type { BankIdOrder } from '../prisma/generated/client';
import { bankIdOrderView } from '../api/bankid-view';
import { render } from 'preact-render-to-string';
import { BankIdOrderPage } from '../api/views/bankid';
import type { PageContext } from '../api/views/layout';
import { en } from '../api/views/texts/en';
import type { Sender } from '../store/promises';
import { sv } from '../api/views/texts/sv';

// BankID's rules as this product applies them (issue 24): each hint code and error gets the
// recommended user message BankID's guidelines pair with it, in Swedish and English; a name BankID
// gives is the signatory's when every word the coordinator typed is among BankID's.

test('every pending and failed hint code, and every error, has its recommended message in both languages', () => {
  const pending = Object.fromEntries(
    PENDING_HINTS.map((hint) => [
      hint,
      [messageFor({ status: 'pending', hintCode: hint }, false), messageFor({ status: 'pending', hintCode: hint }, true)],
    ]),
  );
  expect(pending).toEqual({
    outstandingTransaction: ['RFA1', 'RFA13'],
    noClient: ['RFA1', 'RFA1'],
    started: ['RFA14', 'RFA14'],
    userMrtd: ['RFA23', 'RFA23'],
    userCallConfirm: ['RFA21', 'RFA21'],
    userSign: ['RFA9', 'RFA9'],
  });
  const failed = Object.fromEntries(
    FAILED_HINTS.map((hint) => [
      hint,
      [messageFor({ status: 'failed', hintCode: hint }, false), messageFor({ status: 'failed', hintCode: hint }, true)],
    ]),
  );
  expect(failed).toEqual({
    expiredTransaction: ['RFA8', 'RFA8'],
    certificateErr: ['RFA16', 'RFA16'],
    userCancel: ['RFA6', 'RFA6'],
    cancelled: ['RFA3', 'RFA3'],
    startFailed: ['RFA17B', 'RFA17A'],
    userDeclinedCall: ['RFA22', 'RFA22'],
    notSupportedByUserApp: ['RFA22', 'RFA22'],
    transactionRiskBlocked: ['RFA22', 'RFA22'],
  });
  expect(messageFor({ errorCode: 'alreadyInProgress' }, false)).toBe('RFA4');
  for (const code of ['maintenance', 'internalError', 'requestTimeout', 'unreachable', 'timeout'])
    expect(messageFor({ errorCode: code }, false)).toBe('RFA5');
  expect(messageFor({ errorCode: 'ettNyttFelkod' }, false)).toBe('RFA22');
  // A new hint code BankID adds is shown as "in progress" or "unknown error", never as nothing.
  expect(messageFor({ status: 'pending', hintCode: 'nyKod' }, false)).toBe('RFA21');
  expect(messageFor({ status: 'failed', hintCode: 'nyKod' }, false)).toBe('RFA22');
  const all = [...Object.values(pending), ...Object.values(failed)].flat();
  for (const rfa of all) {
    expect(sv.links.bankId.rfa[rfa]).toMatch(/\S/);
    expect(en.links.bankId.rfa[rfa]).toMatch(/\S/);
  }
});

test("BankID's name is the signatory's when every word typed is among BankID's, case and all given names aside", () => {
  expect(nameMatches('Anna Lind', 'Anna Maria Lind')).toBe(true);
  expect(nameMatches('anna lind', 'ANNA MARIA LIND')).toBe(true);
  expect(nameMatches('Jack Åkesson', 'Jack Åkesson')).toBe(true);
  expect(nameMatches('Jack Akesson', 'Jack Åkesson')).toBe(false);
  expect(nameMatches('Olle Ek', 'Olof Berg')).toBe(false);
  expect(nameMatches('Anna Lind-Berg', 'Anna Lind Berg')).toBe(true);
  expect(nameMatches('', 'Anna Lind')).toBe(false);
});

test('what the BankID app shows names the promise, its version, its parties and the fingerprint', () => {
  const text = userVisibleText({
    title: 'Trygg i butik',
    versionNumber: 2,
    parties: ['Lessebo kommun', 'Polisen', 'Coop'],
    sha256: 'a'.repeat(64),
  });
  expect(text).toContain('*Trygg i butik*, version 2, mellan Lessebo kommun, Polisen och Coop.');
  expect(text).toContain('a'.repeat(64));
});

test('an order signed at BankID but not yet recorded keeps its page reloading, with nothing left to cancel', async () => {
  const context = { t: sv } as unknown as PageContext;
  const order = { id: 'order', status: 'COMPLETE', sameDevice: false } as unknown as BankIdOrder;
  const link = {
    path: '/sign/x',
    sender: {
      coordinator: { name: 'Sara Samordnare', email: 'sara@lessebo.example', phone: null },
      organisation: 'Lessebo kommun',
    } as unknown as Sender,
    appUrl: 'bankid:///',
    secret: 'hemlighet',
  };
  const view = await bankIdOrderView(context, order, link);
  expect(view).toMatchObject({ message: sv.links.bankId.recording, running: false, canRetry: false });
  expect(view.refreshSeconds).toBeGreaterThan(0);
  const page = render(<BankIdOrderPage context={{ ...context, path: '/sign/x' } as PageContext} view={view} />);
  expect(page).toContain('http-equiv="refresh"');
  expect(page).toContain('data-bankid-refresh="2"');
  expect(page).not.toContain('data-bankid-cancel');
  // Ended, the page stops reloading and offers to start again.
  const ended = await bankIdOrderView(context, { ...order, status: 'FAILED', hintCode: 'expiredTransaction' } as BankIdOrder, link);
  expect(ended).toMatchObject({ message: sv.links.bankId.rfa.RFA8, refreshSeconds: 0, canRetry: true, running: false });
});
