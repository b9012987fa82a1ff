import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inventoryTable, PERSONAL_DATA } from '../domain/personal-data';

// The inventory of personal data (issue 23) stays whole: every column of the database whose name
// says it could hold something about a person is either in the inventory or named here with why
// it does not, so a new field is classified when it is added; and the README's tables are the
// inventory's.

const schema = readFileSync(join(__dirname, '..', 'prisma', 'schema.prisma'), 'utf8');
/** "Model.field" for every scalar column of the schema. */
const columns = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)].flatMap(([, model, body]) =>
  [...body!.matchAll(/^\s+(\w+)\s+(\w+)/gm)]
    .filter(
      ([, , type]) =>
        /^[A-Z]/.test(type!) === false ||
        ['String', 'Json', 'DateTime', 'Int', 'Boolean', 'Decimal', 'BigInt'].includes(type!.replace(/[?[\]]/g, '')),
    )
    .map(([, field]) => `${model}.${field}`),
);
const COULD_NAME_A_PERSON =
  /(name|title|email|phone|ip|agent|recipient|reason|description|narrative|by|byid|actor|details|content|text|error|label|subject|coordinatorid|sealed|lastfour)$/i;

/** Columns whose names could hold personal data but do not, and why. */
const NOT_PERSONAL: Record<string, string> = {
  'Organisation.name': 'a municipality or police area',
  'PromiseRecord.title': "the promise's title",
  'PromiseRecord.statusReason': 'why the promise is in its state, in the product’s words',
  'PromiseRecord.attentionReason': 'what needs the coordinator, in the product’s words',
  'PromiseRecord.coordinatorId': "a reference to the coordinator's account, inventoried there",
  'OrganisationMember.coordinatorId': "a reference to the coordinator's account, inventoried there",
  'CoordinatorCredential.coordinatorId': "a reference to the coordinator's account, inventoried there",
  'CoordinatorCredential.label': 'what an API key is for',
  'DocumentVersion.canonicalText': 'the signed text, without addresses (the public record)',
  'Party.name': 'an organisation',
  'PriorityArea.title': 'a priority area',
  'Commitment.text': 'a commitment',
  'SigningRound.outcomeReason': 'why a round ended (a withdrawal’s reason is the coordinator’s, part of the record)',
  'ActivityReport.description': 'what was done, published on the promise’s page',
  'ActivityReport.reason': 'why an activity was cancelled or moved, published with it',
  'FollowUpReport.narrative': 'the published follow-up',
  'EmailOutbox.subject': 'the product’s subject line: purpose and promise',
  'BankIdOrder.qrSecretSealed': 'the secret of an order’s QR codes, BankID’s and not a person’s',
  'WebhookEndpoint.description': 'what an organisation’s receiving system is',
  'WebhookEndpoint.secretSealed': 'a signing secret of an organisation’s system',
  'WebhookEndpoint.previousSecretSealed': 'a signing secret of an organisation’s system',
  'WebhookEndpoint.disabledReason': 'why an endpoint was switched off, in the product’s words',
  'BounceNotice.status': 'an enhanced status code (5.1.1)',
  'WebhookDelivery.lastError': 'a receiving system’s answer, or the network’s error',
};

test('every column that could name a person is in the inventory or said not to', () => {
  const inventoried = new Set(PERSONAL_DATA.map((d) => `${d.table}.${d.field}`));
  const unclassified = columns.filter((c) => COULD_NAME_A_PERSON.test(c.split('.')[1]!) && !inventoried.has(c) && !(c in NOT_PERSONAL));
  expect(unclassified).toEqual([]);
  // And the inventory names columns that exist (Temporal's histories are a store of their own).
  expect(
    PERSONAL_DATA.filter((d) => d.table !== 'Temporal')
      .map((d) => `${d.table}.${d.field}`)
      .filter((c) => !columns.includes(c)),
  ).toEqual([]);
  expect(Object.keys(NOT_PERSONAL).filter((c) => !columns.includes(c))).toEqual([]);
});

test('the README has the inventory as its table, in Swedish and in English', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  expect(readme).toContain(inventoryTable('sv'));
  expect(readme).toContain(inventoryTable('en'));
});
