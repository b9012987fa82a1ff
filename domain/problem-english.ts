// The product's own problems with an input are written in Swedish where they are found (the
// schemas, the text rules, the report rules); this is their English, for a form on an English page.
// One list, matched on the whole Swedish text; a problem with values in it (a date, a key, a
// character) is a pattern whose parts carry over. zod's own messages come in English from its
// English locale instead (domain/validation.ts).

type English = string | ((...parts: string[]) => string | undefined);

/** What a field should have been, when it was something else entirely (zod's invalid_type). */
export const EXPECTED_TYPES: Record<string, { sv: string; en: string }> = {
  number: { sv: 'ett tal', en: 'a number' },
  int: { sv: 'ett heltal', en: 'a whole number' },
  string: { sv: 'en text', en: 'a text' },
  boolean: { sv: 'sant eller falskt', en: 'true or false' },
  array: { sv: 'en lista', en: 'a list' },
  object: { sv: 'ett objekt', en: 'an object' },
  date: { sv: 'ett datum', en: 'a date' },
};
const EXPECTED_BY_SWEDISH = new Map(Object.values(EXPECTED_TYPES).map(({ sv, en }) => [sv, en]));

const UNITS: Record<string, string> = { år: 'year', halvår: 'half-year', kvartal: 'quarter', månad: 'month' };

const PROBLEMS: [RegExp | string, English][] = [
  ['saknas', 'missing'],
  [/^ska vara (.+)$/, (expected) => (EXPECTED_BY_SWEDISH.has(expected!) ? `must be ${EXPECTED_BY_SWEDISH.get(expected!)}` : undefined)],
  ['får inte vara tom', 'must not be empty'],
  [
    'ska vara små bokstäver a–z, siffror och bindestreck, t.ex. "polisen"',
    'must be lower-case letters a–z, digits and hyphens, e.g. "polisen"',
  ],
  ['en månad är 1–12', 'a month is 1–12'],
  ['minst en månad', 'at least one month'],
  ['samma månad finns två gånger', 'the same month is there twice'],
  ['ange ett datum, eller dateToBeSet när datumet bestäms senare', 'give a date, or dateToBeSet when the date is decided later'],
  ['ange antingen ett datum eller dateToBeSet, inte båda', 'give either a date or dateToBeSet, not both'],
  ['minst två steg', 'at least two steps'],
  ['minst en ansvarig part', 'at least one responsible party'],
  ['ange antingen contact eller contacts', 'give either contact or contacts'],
  ['minst ett löfte per fokusområde', 'at least one commitment per priority area'],
  ['minst ett fokusområde', 'at least one priority area'],
  ['minst två parter', 'at least two parties'],
  ['minst en som signerar', 'at least one signatory'],
  ['ska vara efter periodens start', 'must be after the start of the period'],
  ['samma adress finns redan hos en annan som signerar', 'another signatory already has this address'],
  ['samma adress finns redan hos en annan kontaktperson', 'another contact already has this address'],
  ['ska ligga inom löftets period', "must be within the promise's period"],
  [
    'ingen dag i löftets period faller inom de valda delarna av året',
    "no day of the promise's period falls within the chosen parts of the year",
  ],
  ['ska vara längre än 0', 'must be longer than 0'],
  ['ange namnet', 'give the name'],
  ['ange ett skäl', 'give a reason'],
  ['ange skälet', 'give the reason'],
  ['är samma som den gamla adressen', 'is the same as the old address'],
  ['välj att signera eller avböja', 'choose to sign or to decline'],
  ['ska vara dokumentets SHA-256 (64 hexadecimala tecken)', "must be the document's SHA-256 (64 hexadecimal characters)"],
  ['länken är ofullständig eller felaktig', 'the link is incomplete or wrong'],
  ['beskriv vad som gjordes', 'describe what was done'],
  ['beskriv läget', 'describe where things stand'],
  ['ska vara 8–200 synliga ASCII-tecken, t.ex. ett UUID', 'must be 8–200 visible ASCII characters, e.g. a UUID'],
  ['skriv en sammanfattning', 'write a summary'],
  ['ska vara uppföljningens nummer, 1–50', "must be the follow-up's number, 1–50"],
  ['ska vara ett heltal följt av s, m, h eller d, t.ex. "3d"', 'must be a whole number followed by s, m, h or d, e.g. "3d"'],
  ['ska vara en webbadress som börjar med https:// (eller http://)', 'must be a web address starting with https:// (or http://)'],
  [
    'ska vara ett telefonnummer med siffror, t.ex. 0470-410 00 eller +46 470 410 00',
    'must be a phone number in digits, e.g. 0470-410 00 or +46 470 410 00',
  ],
  ['skriv vad nyckeln är till', 'write what the key is for'],
  ['ska vara en giltig e-postadress', 'must be a valid e-mail address'],
  ['ska vara ett datum på formen ÅÅÅÅ-MM-DD', 'must be a date written YYYY-MM-DD'],
  ['ska stå på en rad (radbrytning)', 'must be on one line (line break)'],
  ['välj en organisation', 'choose an organisation'],
  ['är inte giltig UTF-8 (bytes som inte är text)', 'is not valid UTF-8 (bytes that are not text)'],
  ['ogiltigt värde', 'invalid value'],
  ['ska vara en av rapporterna', 'must be one of the reports'],
  ['ska vara en rapports id', "must be a report's id"],
  ['ska vara en nyckels id', "must be a key's id"],
  ['ska vara ett id', 'must be an id'],
  ['ska vara ett löftes id (UUID)', "must be a promise's id (UUID)"],
  ['ska vara en aktivitets id (UUID)', "must be an activity's id (UUID)"],
  ['ska vara en signeringsbegärans id (UUID)', "must be a signing request's id (UUID)"],
  ['innehåller tecken som inte kan lagras (NUL, U+0000)', 'contains characters that cannot be stored (NUL, U+0000)'],
  [
    /^innehåller tecken som inte kan lagras \(ett ensamt surrogattecken, U\+(\w+)\)$/,
    (code) => `contains characters that cannot be stored (a lone surrogate, U+${code})`,
  ],
  [/^innehåller ett styrtecken \((.+)\)$/, (character) => `contains a control character (${character})`],
  [
    /^innehåller ett osynligt tecken som ändrar läsriktningen \((.+)\)$/,
    (character) => `contains an invisible character that changes the reading direction (${character})`,
  ],
  [/^fältnamnet (.+)$/, (problem) => `the field name ${problemInEnglish(problem!) ?? problem}`],
  [
    /^aktiviteten har redan ett datum \((.+)\); flytta den i stället \(POSTPONED\) med ett skäl$/,
    (date) => `the activity already has a date (${date}); move it instead (POSTPONED) with a reason`,
  ],
  [/^ligger i framtiden \(i dag är det (.+)\)$/, (today) => `is in the future (today is ${today})`],
  [/^ska ligga inom löftets period, (.+) – (.+)$/, (start, end) => `must be within the promise's period, ${start} – ${end}`],
  [/^har redan passerat \(i dag är det (.+)\)$/, (today) => `has already passed (today is ${today})`],
  [/^ligger efter löftets period, som slutar (.+)$/, (end) => `is after the promise's period, which ends ${end}`],
  [/^får vara högst (\d+) dagar$/, (days) => `may be at most ${days} days`],
  [/^perioden får vara högst (\d+) år$/, (years) => `the period may be at most ${years} years`],
  [/^nyckeln "(.*)" används redan$/, (key) => `the key "${key}" is already used`],
  [/^nyckeln "(.*)" används redan av en part eller medverkande$/, (key) => `the key "${key}" is already used by a party or participant`],
  [/^okänd part "(.*)"$/, (key) => `unknown party "${key}"`],
  [/^okänd part eller medverkande "(.*)"$/, (key) => `unknown party or participant "${key}"`],
  [/^högst (\d+) per (år|halvår|kvartal|månad)$/, (count, unit) => `at most ${count} per ${UNITS[unit!]}`],
  [/^ger (\d+) tillfällen; högst (\d+) per löfte$/, (count, max) => `gives ${count} occasions; at most ${max} per promise`],
];

/** The English of one of the product's Swedish problems, or undefined for a text not in the list. */
export function problemInEnglish(swedish: string): string | undefined {
  for (const [pattern, english] of PROBLEMS) {
    if (typeof pattern === 'string') {
      if (pattern === swedish) return typeof english === 'string' ? english : english();
      continue;
    }
    const match = pattern.exec(swedish);
    const said = match && (typeof english === 'string' ? english : english(...match.slice(1)));
    if (said) return said;
  }
  return undefined;
}
