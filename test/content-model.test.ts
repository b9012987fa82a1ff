import { documentOutline, renderDocument } from '../api/pages/document';
import { PromiseContentSchema, type PromiseContentInput } from '../domain/content';
import { sha256Hex } from '../domain/crypto';
import { canonicalTextOf } from '../domain/document';
import { describeShape } from '../domain/describe';
import { expandSchedule } from '../domain/schedule';
import { keyFromName } from '../domain/keys';
import { fieldProblems } from '../domain/validation';
import { fixture, lessebo } from './support/promises';

// What real promises say and the model now holds: who prepared it, where and when it was signed
// on paper, organisations that take part without signing, the police named as a whole, priority
// areas with only a heading, and keys the coordinator need not invent.

/** A promise as JSON input, without the keys a coordinator would have to invent. */
function withoutKeys(): PromiseContentInput {
  const content = structuredClone(lessebo()) as PromiseContentInput;
  const partyName = new Map(content.parties.map((p) => [p.key!, p.name]));
  for (const party of content.parties) delete party.key;
  for (const signatory of content.signatories) {
    delete signatory.key;
    signatory.partyKey = keyFromName(partyName.get(signatory.partyKey)!, 'part');
  }
  for (const area of content.priorityAreas) {
    delete area.key;
    for (const commitment of area.commitments) {
      delete commitment.key;
      commitment.responsiblePartyKeys = commitment.responsiblePartyKeys.map((key) => keyFromName(partyName.get(key)!, 'part'));
    }
  }
  return content;
}

const problemsOf = (input: unknown) => {
  const result = PromiseContentSchema.safeParse(input);
  return result.success ? [] : fieldProblems(result.error);
};
const hashOf = (input: unknown) => sha256Hex(canonicalTextOf(PromiseContentSchema.parse(input)));

test('keys left out are made from names, the same every time, numbered apart, and given keys are kept', () => {
  expect(keyFromName('Lessebo kommun', 'part')).toBe('lessebo-kommun');
  expect(keyFromName('Åstorps kommun', 'part')).toBe('astorps-kommun');
  expect(keyFromName('Brottsförebyggande rådet (Brå)', 'part')).toBe('brottsforebyggande-radet-bra');
  expect(keyFromName('Polisen ska genomföra fotpatrullering i och kring butiker varje vecka', 'lofte')).toBe(
    'polisen-ska-genomfora-fotpatrullering-i',
  );
  expect(keyFromName('—', 'part')).toBe('part');

  const content = PromiseContentSchema.parse(withoutKeys());
  expect(content.parties.map((p) => p.key)).toEqual(lessebo().parties.map((p) => keyFromName(p.name, 'part')));
  expect(content.signatories.every((s) => /^[a-z0-9-]+$/.test(s.key))).toBe(true);
  expect(PromiseContentSchema.parse(withoutKeys())).toEqual(content);
  expect(hashOf(withoutKeys())).toBe(hashOf(withoutKeys()));

  const twins = withoutKeys();
  twins.priorityAreas[0]!.commitments.push({ ...twins.priorityAreas[0]!.commitments[0]! });
  const keys = PromiseContentSchema.parse(twins).priorityAreas[0]!.commitments.map((c) => c.key);
  expect(keys[keys.length - 1]).toBe(`${keys[0]}-2`);

  const given = withoutKeys();
  given.parties[0]!.key = 'polisen';
  given.signatories.filter((s) => s.partyKey === keyFromName(given.parties[0]!.name, 'part')).forEach((s) => (s.partyKey = 'polisen'));
  given.priorityAreas.forEach((a) =>
    a.commitments.forEach(
      (c) =>
        (c.responsiblePartyKeys = c.responsiblePartyKeys.map((k) => (k === keyFromName(given.parties[0]!.name, 'part') ? 'polisen' : k))),
    ),
  );
  expect(PromiseContentSchema.parse(given).parties[0]!.key).toBe('polisen');
});

test('prepared by, place and date, participants, the police as a whole and an area with only a heading are all held', () => {
  const content = withoutKeys();
  delete content.policeArea;
  delete content.priorityAreas[0]!.problem;
  content.place = 'Lessebo';
  content.documentDate = '2020-03-02';
  content.preparedBy = [
    { name: 'Anna Augustsson', title: 'Kommunpolis', organisation: 'Polisen' },
    { name: 'Eva Exempel', title: 'Trygghetsstrateg', organisation: 'Lessebo kommun' },
  ];
  content.participants = [{ name: 'Lokala brottsförebyggande rådet', kind: 'OTHER' }];
  content.priorityAreas[0]!.commitments[0]!.responsiblePartyKeys.push('lokala-brottsforebyggande-radet');

  const parsed = PromiseContentSchema.parse(content);
  expect(parsed.participants).toEqual([{ key: 'lokala-brottsforebyggande-radet', name: 'Lokala brottsförebyggande rådet', kind: 'OTHER' }]);
  expect(parsed.policeArea).toBeUndefined();
  expect(parsed.priorityAreas[0]!.problem).toBeUndefined();

  const page = renderDocument(parsed).value;
  expect(page).toContain('Framtaget av Anna Augustsson, Kommunpolis (Polisen) och Eva Exempel, Trygghetsstrateg (Lessebo kommun).');
  expect(page).toContain('Medverkar utan att skriva under');
  expect(page).toContain('Lokala brottsförebyggande rådet');
  expect(page).toContain('Lessebo 2020-03-02');
  expect(page).toContain('och Polismyndigheten.');
  expect(page).toMatch(/Ansvar: [^<]*Lokala brottsförebyggande rådet/);

  content.priorityAreas[0]!.commitments[0]!.shape = {
    kind: 'ONE_OFF',
    dateToBeSet: { when: 'när trygghetsmätningens resultat presenteras' },
  };
  expect(renderDocument(PromiseContentSchema.parse(content)).value).toContain(
    'en gång, datum bestäms senare (när trygghetsmätningens resultat presenteras)',
  );
});

test('every new field is part of the signed text; an address is not', () => {
  const base = withoutKeys();
  base.preparedBy = [{ name: 'Anna Augustsson', title: 'Kommunpolis' }];
  base.participants = [{ name: 'Näringslivet i Lessebo', kind: 'BUSINESS' }];
  base.documentDate = '2020-03-02';
  const hash = hashOf(base);
  const changed = (edit: (c: PromiseContentInput) => void) => {
    const copy = structuredClone(base);
    edit(copy);
    return hashOf(copy);
  };
  expect(changed((c) => (c.preparedBy![0]!.title = 'Lokalpolisområdeschef'))).not.toBe(hash);
  expect(changed((c) => (c.participants![0]!.name = 'Företagarna i Lessebo'))).not.toBe(hash);
  expect(changed((c) => (c.documentDate = '2020-03-03'))).not.toBe(hash);
  expect(changed((c) => delete c.priorityAreas[0]!.problem)).not.toBe(hash);
  const undated = changed((c) => (c.priorityAreas[0]!.commitments[0]!.shape = { kind: 'ONE_OFF', dateToBeSet: {} }));
  expect(undated).not.toBe(hash);
  expect(
    changed((c) => (c.priorityAreas[0]!.commitments[0]!.shape = { kind: 'ONE_OFF', dateToBeSet: { when: 'när mätningen presenteras' } })),
  ).not.toBe(undated);
  expect(changed((c) => (c.signatories[0]!.email = 'ny.adress@polisen.example'))).toBe(hash);
});

test('the new fields are refused field by field, in Swedish', () => {
  const content = withoutKeys();
  content.preparedBy = [{ name: 'Anna Augustsson' } as never];
  content.documentDate = '2020-02-30';
  expect(problemsOf(content)).toEqual(
    expect.arrayContaining([
      { field: 'preparedBy.0.title', problem: 'saknas' },
      { field: 'documentDate', problem: 'ska vara ett datum på formen ÅÅÅÅ-MM-DD' },
    ]),
  );
  expect(problemsOf(content)).toHaveLength(2);

  const clash = withoutKeys();
  clash.participants = [{ key: keyFromName(clash.parties[0]!.name, 'part'), name: 'Någon annan', kind: 'OTHER' }];
  clash.priorityAreas[0]!.commitments[0]!.responsiblePartyKeys = ['ingen-sadan'];
  expect(problemsOf(clash)).toEqual([
    { field: 'participants.0.key', problem: expect.stringMatching(/används redan av en part eller medverkande/) },
    { field: 'priorityAreas.0.commitments.0.responsiblePartyKeys.0', problem: 'okänd part eller medverkande "ingen-sadan"' },
  ]);
});

test('the seed promises still read as they are', () => {
  for (const name of ['lessebo-2020', 'ljungby-2021', 'astorp-2023-2025'] as const) expect(() => fixture(name)).not.toThrow();
});

test('Ljungby 2021 as it stands: every commitment of its text, none of them given a number or a date it does not state', () => {
  // The fixture keeps seven of the nine commitments (the tests' years are built on them); these
  // are the other three, written as the text says them.
  const content = structuredClone(fixture('ljungby-2021')) as PromiseContentInput;
  const society = content.priorityAreas.find((a) => a.key === 'tryggt-samhalle')!;
  const both = ['polisen', 'ljungby-kommun'];
  society.commitments.push(
    {
      text: 'Kommunen och polisen arbetar aktivt för att kartlägga orsaken till den ökade skadegörelsen.',
      shape: { kind: 'CONTINUOUS', reportEvery: 'HALF_YEAR' },
      responsiblePartyKeys: both,
    },
    {
      text: 'Kommunen och polisen arbetar med preventiva åtgärder för att minska skadegörelsen på offentliga byggnader.',
      shape: { kind: 'CONTINUOUS', reportEvery: 'HALF_YEAR' },
      responsiblePartyKeys: both,
    },
    // "genomför informationsinsatser": no number, so at least one.
    {
      text: 'Kommunen och polisen genomför informationsinsatser för att minska risken för att utsättas för bedrägeri.',
      shape: { kind: 'COUNT_PER_PERIOD', count: 1, period: 'YEAR', atLeast: true },
      responsiblePartyKeys: both,
    },
  );
  const parsed = PromiseContentSchema.parse(content);
  expect(parsed.priorityAreas.flatMap((a) => a.commitments)).toHaveLength(10);
  expect(parsed.documentDate).toBe('2020-12-21');
  expect(parsed.priorityAreas[2]!.commitments.map((c) => c.key).slice(-3)).toEqual([
    'kommunen-och-polisen-arbetar-aktivt-for',
    'kommunen-och-polisen-arbetar-med',
    'kommunen-och-polisen-genomfor',
  ]);
  const page = renderDocument(parsed).value;
  expect(page).toContain('Ljungby 2020-12-21');
  expect(page).toContain('en gång, datum bestäms senare');
  expect(page).toContain('minst 1 gång per år');
});

test('an ongoing commitment whose text states no rhythm: nothing about one in the signed text, reports as the settings choose', () => {
  const content = fixture('lessebo-2020');
  const ongoing = content.priorityAreas.flatMap((a) => a.commitments).find((c) => c.shape.kind === 'CONTINUOUS')!;
  const { reportEvery: _stated, ...unstated } = ongoing.shape as Extract<typeof ongoing.shape, { kind: 'CONTINUOUS' }>;
  ongoing.shape = unstated;
  const parsed = PromiseContentSchema.parse(content);
  const shape = parsed.priorityAreas.flatMap((a) => a.commitments).find((c) => c.key === ongoing.key)!.shape;
  expect(shape).toEqual({ kind: 'CONTINUOUS' });
  expect(describeShape(shape)).toBe('löpande');
  expect(canonicalTextOf(parsed)).not.toMatch(new RegExp(`"key":"${ongoing.key}"[^}]*reportEvery`));
  // On the page: "löpande" and who is responsible, no rhythm the parties did not agree.
  expect(renderDocument(parsed).value).toContain(`${ongoing.text} <br><small>löpande. Ansvar:`);
  const reports = (reportEvery: 'QUARTER' | 'HALF_YEAR') =>
    expandSchedule(parsed, { reportEvery }).filter((o) => o.commitmentKey === ongoing.key).length;
  expect([reports('QUARTER'), reports('HALF_YEAR')]).toEqual([4, 2]);
});

test('an introduction under the commitments heading is part of the signed text and stands right under that heading', () => {
  const intro = 'Medborgarlöftet är en överenskommelse mellan polisen och kommunen, framtagen efter medborgardialoger hösten 2019.';
  const content = PromiseContentSchema.parse({ ...lessebo(), commitmentsIntro: intro });
  expect(canonicalTextOf(content)).toContain(intro);
  expect(canonicalTextOf(content)).not.toBe(canonicalTextOf(PromiseContentSchema.parse(lessebo())));
  const outline = documentOutline(content);
  const heading = outline.findIndex((block) => block.kind === 'heading' && block.text === 'Fokusområden och löften');
  expect(outline[heading + 1]).toEqual({ kind: 'paragraph', text: intro, own: true });
  // Without one, the outline is as before.
  expect(documentOutline(PromiseContentSchema.parse(lessebo()))[heading + 1]).toMatchObject({ kind: 'heading', level: 3 });
});
