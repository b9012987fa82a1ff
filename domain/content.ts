import { z } from 'zod';
import { addMonths } from './calendar';
import { expandCommitment, expandSchedule } from './schedule';
import { withKeys } from './keys';
import type { FieldProblem } from './problems';
import { contactsOf, stepsOf } from './stored-content';
import { lineText, longText, webUrl } from './text-schemas';
import './validation';

// The content of a medborgarlöfte as a coordinator writes it (DESIGN.md section 1). Keys are
// short identifiers the coordinator chooses, so that signatories and commitments can name their
// party, and so that a commitment keeps its identity across versions and renewals.

/**
 * Limits no real promise comes near (the seeds have 2–8 parties, 3–8 signatories, under 20
 * commitments and at most 3 years), so that one promise stays small everywhere it travels.
 */
export const LIMITS = {
  parties: 30,
  authors: 10,
  contactsPerCommitment: 5,
  stepsPerCommitment: 5,
  signatories: 50,
  priorityAreas: 20,
  commitmentsPerArea: 50,
  periodYears: 5,
  occurrences: 500,
  /** About one a week, at most. */
  countPer: { YEAR: 52, HALF_YEAR: 26, QUARTER: 13, MONTH: 4 },
} as const;

const UNIT_SV = { YEAR: 'år', HALF_YEAR: 'halvår', QUARTER: 'kvartal', MONTH: 'månad' } as const;

const Key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'ska vara små bokstäver a–z, siffror och bindestreck, t.ex. "polisen"');
/** A key the coordinator may leave out: it is then made from the name (domain/keys.ts). */
const OptionalKey = Key.optional().describe('görs av namnet om den utelämnas, t.ex. "lessebo-kommun" för Lessebo kommun');
const PARTY_KINDS = ['POLICE', 'MUNICIPALITY', 'BUSINESS', 'OTHER'] as const;
export const IsoDateSchema = z.iso.date('ska vara ett datum på formen ÅÅÅÅ-MM-DD');

export const PartySchema = z
  .object({
    key: OptionalKey,
    name: lineText(200),
    kind: z.enum(PARTY_KINDS),
  })
  .strict();

/** An organisation that takes part without signing (the business community, a school, Brå); it can be responsible for commitments. */
export const ParticipantSchema = z
  .object({
    key: OptionalKey,
    name: lineText(200),
    kind: z.enum(PARTY_KINDS),
  })
  .strict();

/** Who wrote the promise, as the document names them ("genom"). */
export const AuthorSchema = z
  .object({
    name: lineText(200),
    title: lineText(200).describe('t.ex. kommunpolis, trygghetsstrateg'),
    organisation: lineText(200).optional(),
  })
  .strict();

/** How a signatory signs: the e-mailed link alone, or the link and then BankID. Not part of the signed text. */
export const SIGNING_METHODS = ['EMAIL_LINK', 'BANKID'] as const;
export type SigningMethod = (typeof SIGNING_METHODS)[number];

export const SignatorySchema = z
  .object({
    key: OptionalKey,
    name: lineText(200),
    title: lineText(200).describe('t.ex. Kommunstyrelsens ordförande, Lokalpolisområdeschef, butikschef'),
    partyKey: Key,
    email: z.email('ska vara en giltig e-postadress'),
    signingGroup: z.number().int().min(1).max(10).default(1).describe('används när signeringen sker i ordnade grupper'),
    signingMethod: z
      .enum(SIGNING_METHODS)
      .optional()
      .describe('hur personen signerar: EMAIL_LINK (länken i e-posten, standard) eller BANKID (länken, sedan BankID)'),
  })
  .strict();

export const PERIOD_UNITS = ['YEAR', 'HALF_YEAR', 'QUARTER', 'MONTH'] as const;

/** Parts of the year a count falls in: the school terms, or named months. */
export const WithinSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('SCHOOL_TERMS') })
    .strict()
    .describe('vårterminen och hösttermin (ungefärliga datum, se domain/schedule.ts)'),
  z
    .object({
      kind: z.literal('MONTHS'),
      months: z
        .array(z.number().int().min(1, 'en månad är 1–12').max(12, 'en månad är 1–12'))
        .min(1, 'minst en månad')
        .max(12)
        .refine((months) => new Set(months).size === months.length, 'samma månad finns två gånger')
        // The calendar's order, whichever way they came (the API, the editor's checkboxes): one text, one hash.
        .overwrite((months) => [...months].sort((a, b) => a - b)),
    })
    .strict(),
]);

const FromDate = IsoDateSchema.optional().describe('först från och med detta datum (t.ex. efter en start); annars från periodens början');

const CountShape = z
  .object({
    kind: z.literal('COUNT_PER_PERIOD'),
    count: z.number().int().min(1).max(366).describe('högst 52 per år, 26 per halvår, 13 per kvartal eller 4 per månad'),
    period: z.enum(PERIOD_UNITS).default('YEAR'),
    atLeast: z.boolean().optional().describe('true när texten säger "minst": antalet är ett golv'),
    within: WithinSchema.optional().describe('delar av året som tillfällena läggs i, i stället för jämnt över hela perioden'),
    from: FromDate,
  })
  .strict();
/** Once, on a date; or on a date not known at signing, which the coordinator sets later. */
const OneOffShape = z
  .object({
    kind: z.literal('ONE_OFF'),
    dueDate: IsoDateSchema.optional().describe('utelämnas när datumet bestäms senare (dateToBeSet)'),
    dateToBeSet: z
      .object({
        when: lineText(300)
          .optional()
          .describe('när det bestäms, med dokumentets ord, t.ex. "när trygghetsmätningens resultat presenteras"'),
      })
      .strict()
      .optional()
      .describe('datumet är inte känt vid signeringen: samordnaren ombeds sätta det ({} när dokumentet inte säger när)'),
  })
  .strict()
  .refine((shape) => shape.dueDate !== undefined || shape.dateToBeSet !== undefined, {
    path: ['dueDate'],
    message: 'ange ett datum, eller dateToBeSet när datumet bestäms senare',
  })
  .refine((shape) => shape.dueDate === undefined || shape.dateToBeSet === undefined, {
    path: ['dateToBeSet'],
    message: 'ange antingen ett datum eller dateToBeSet, inte båda',
  });
const ContinuousShape = z
  .object({
    kind: z.literal('CONTINUOUS'),
    reportEvery: z
      .enum(['MONTH', 'QUARTER', 'HALF_YEAR'])
      .optional()
      .describe(
        'hur ofta läget rapporteras, när texten säger det; utelämnat står inget om det i texten och inställningen progressReportEvery väljer hur ofta de ansvariga påminns',
      ),
    from: FromDate,
  })
  .strict();

/** One step of a commitment made of several: "start a council (once), then meet four times a year". */
export const StepSchema = z.discriminatedUnion('kind', [CountShape, OneOffShape, ContinuousShape]);

export const CommitmentShapeSchema = z.discriminatedUnion('kind', [
  CountShape,
  OneOffShape,
  ContinuousShape,
  z
    .object({
      kind: z.literal('STEPS'),
      steps: z.array(StepSchema).min(2, 'minst två steg').max(LIMITS.stepsPerCommitment).describe('stegen i den ordning texten säger dem'),
    })
    .strict(),
]);

export const ContactSchema = z
  .object({
    name: lineText(200),
    title: lineText(200).optional().describe('t.ex. kommunpolis, trygghetssamordnare'),
    email: z.email('ska vara en giltig e-postadress'),
  })
  .strict();

export const CommitmentSchema = z
  .object({
    key: OptionalKey,
    text: longText(2000),
    shape: CommitmentShapeSchema,
    responsiblePartyKeys: z.array(Key).min(1, 'minst en ansvarig part').describe('parter eller medverkande, med sina nycklar'),
    contact: ContactSchema.optional().describe('en kontaktperson; samma som contacts med en enda (äldre form)'),
    contacts: z
      .array(ContactSchema)
      .min(1)
      .max(LIMITS.contactsPerCommitment)
      .optional()
      .describe('de som får påminnelser om aktiviteten, var och en med sin länk'),
  })
  .strict()
  .refine((commitment) => !(commitment.contact && commitment.contacts), {
    path: ['contact'],
    message: 'ange antingen contact eller contacts',
  });

export const PriorityAreaSchema = z
  .object({
    key: OptionalKey,
    title: lineText(200),
    problem: longText(4000).optional().describe('utelämnas när dokumentet bara har en rubrik'),
    cause: longText(4000).optional(),
    commitments: z.array(CommitmentSchema).min(1, 'minst ett löfte per fokusområde').max(LIMITS.commitmentsPerArea),
  })
  .strict();

export const SOURCE_KINDS = ['SAFETY_SURVEY', 'CRIME_STATISTICS', 'CITIZEN_DIALOGUE', 'OTHER'] as const;

const PromiseContentShape = z
  .object({
    title: lineText(300),
    municipality: lineText(100),
    policeArea: lineText(200).optional().describe('lokalpolisområde; utelämnas när dokumentet bara säger Polismyndigheten'),
    period: z.object({ start: IsoDateSchema, end: IsoDateSchema }).strict(),
    renewal: z.enum(['ANNUAL', 'NONE']).describe('ANNUAL: förnyas varje år'),
    situation: z
      .object({
        summary: longText(8000).describe('lägesbild'),
        sources: z.array(z.object({ kind: z.enum(SOURCE_KINDS), description: longText(1000) }).strict()).default([]),
      })
      .strict(),
    priorityAreas: z.array(PriorityAreaSchema).min(1, 'minst ett fokusområde').max(LIMITS.priorityAreas),
    commitmentsIntro: longText(4000)
      .optional()
      .describe('inledningen under rubriken för fokusområden och löften: vad löftet är och hur det kom till'),
    goal: longText(4000).optional().describe('vad vill vi uppnå'),
    followUp: longText(4000).describe('hur och när resultaten följs upp'),
    communication: longText(4000).optional().describe('hur medborgarna kan följa arbetet'),
    references: z
      .object({
        situationReportUrl: webUrl().optional().describe('kommunens lägesbild enligt SFS 2023:196'),
        actionPlanUrl: webUrl().optional().describe('kommunens åtgärdsprogram enligt SFS 2023:196'),
      })
      .strict()
      .optional(),
    place: lineText(100).optional().describe('ort för undertecknandet, som i dokumentet'),
    documentDate: IsoDateSchema.optional().describe('dokumentets datum, som i dokumentet (t.ex. "Lessebo 2020-03-02")'),
    preparedBy: z.array(AuthorSchema).max(LIMITS.authors).optional().describe('de som tagit fram löftet'),
    parties: z.array(PartySchema).min(2, 'minst två parter').max(LIMITS.parties),
    participants: z.array(ParticipantSchema).max(LIMITS.parties).optional().describe('medverkar utan att skriva under'),
    signatories: z.array(SignatorySchema).min(1, 'minst en som signerar').max(LIMITS.signatories),
  })
  .strict();

/** The content with every key in place: given keys kept, missing ones made from names. */
function withGeneratedKeys(content: z.output<typeof PromiseContentShape>) {
  // Parties and participants share one set of keys: commitments name either as responsible.
  const { participants: named, ...rest } = content;
  const organisationKeys = new Set<string>();
  const parties = withKeys(content.parties, (p) => p.name, 'part', organisationKeys);
  const participants = named && withKeys(named, (p) => p.name, 'medverkande', organisationKeys);
  const commitmentKeys = new Set<string>();
  const areas = withKeys(content.priorityAreas, (a) => a.title, 'fokusomrade');
  return {
    ...rest,
    parties,
    ...(participants ? { participants } : {}),
    signatories: withKeys(content.signatories, (s) => s.name, 'undertecknare'),
    priorityAreas: areas.map((area) => ({
      ...area,
      commitments: withKeys(area.commitments, (c) => c.text, 'lofte', commitmentKeys).map(({ contact, ...commitment }) =>
        // One form for contacts from here on: the older single `contact` becomes a list of one.
        contact && !commitment.contacts ? { ...commitment, contacts: [contact] } : commitment,
      ),
    })),
  };
}

export const PromiseContentSchema = PromiseContentShape.transform(withGeneratedKeys).superRefine((content, ctx) => {
  // Rules across fields run once every field is well formed (zod runs them regardless).
  if (ctx.issues.length > 0) return;
  let issues = 0;
  const issue = (path: (string | number)[], message: string) => {
    issues += 1;
    ctx.addIssue({ code: 'custom', path, message, input: content });
  };

  if (content.period.start >= content.period.end) issue(['period', 'end'], 'ska vara efter periodens start');
  if (content.period.end >= addMonths(content.period.start, 12 * LIMITS.periodYears)) {
    issue(['period', 'end'], `perioden får vara högst ${LIMITS.periodYears} år`);
  }

  const partyKeys = new Set<string>();
  content.parties.forEach((party, i) => {
    if (partyKeys.has(party.key)) issue(['parties', i, 'key'], `nyckeln "${party.key}" används redan`);
    partyKeys.add(party.key);
  });
  const organisationKeys = new Set(partyKeys);
  content.participants?.forEach((participant, i) => {
    if (organisationKeys.has(participant.key))
      issue(['participants', i, 'key'], `nyckeln "${participant.key}" används redan av en part eller medverkande`);
    organisationKeys.add(participant.key);
  });
  const signatoryKeys = new Set<string>();
  const emails = new Set<string>();
  content.signatories.forEach((signatory, i) => {
    if (!partyKeys.has(signatory.partyKey)) issue(['signatories', i, 'partyKey'], `okänd part "${signatory.partyKey}"`);
    if (signatoryKeys.has(signatory.key)) issue(['signatories', i, 'key'], `nyckeln "${signatory.key}" används redan`);
    signatoryKeys.add(signatory.key);
    const email = signatory.email.toLowerCase();
    if (emails.has(email)) issue(['signatories', i, 'email'], 'samma adress finns redan hos en annan som signerar');
    emails.add(email);
  });
  const inPeriod = (date: string) => date >= content.period.start && date <= content.period.end;
  const commitmentKeys = new Set<string>();
  const areaKeys = new Set<string>();
  content.priorityAreas.forEach((area, a) => {
    if (areaKeys.has(area.key)) issue(['priorityAreas', a, 'key'], `nyckeln "${area.key}" används redan`);
    areaKeys.add(area.key);
    area.commitments.forEach((commitment, c) => {
      const path = ['priorityAreas', a, 'commitments', c];
      if (commitmentKeys.has(commitment.key)) issue([...path, 'key'], `nyckeln "${commitment.key}" används redan`);
      commitmentKeys.add(commitment.key);
      const contactEmails = new Set<string>();
      contactsOf(commitment).forEach((contact, k) => {
        const email = contact.email.toLowerCase();
        if (contactEmails.has(email)) issue([...path, 'contacts', k, 'email'], 'samma adress finns redan hos en annan kontaktperson');
        contactEmails.add(email);
      });
      commitment.responsiblePartyKeys.forEach((key, k) => {
        if (!organisationKeys.has(key)) issue([...path, 'responsiblePartyKeys', k], `okänd part eller medverkande "${key}"`);
      });
      stepsOf(commitment.shape).forEach((shape, s) => {
        const at = commitment.shape.kind === 'STEPS' ? [...path, 'shape', 'steps', s] : [...path, 'shape'];
        if (shape.kind === 'COUNT_PER_PERIOD' && shape.count > LIMITS.countPer[shape.period]) {
          issue([...at, 'count'], `högst ${LIMITS.countPer[shape.period]} per ${UNIT_SV[shape.period]}`);
        }
        if (shape.kind !== 'ONE_OFF' && shape.from && !inPeriod(shape.from)) issue([...at, 'from'], 'ska ligga inom löftets period');
        if (shape.kind === 'COUNT_PER_PERIOD' && shape.within && expandCommitment({ ...commitment, shape }, content.period).length === 0) {
          issue([...at, 'within'], 'ingen dag i löftets period faller inom de valda delarna av året');
        }
        if (shape.kind === 'ONE_OFF' && shape.dueDate && !inPeriod(shape.dueDate))
          issue([...at, 'dueDate'], 'ska ligga inom löftets period');
      });
    });
  });

  // Only a promise otherwise valid is expanded: the count of its occurrences is then bounded too.
  if (issues === 0) {
    const occurrences = expandSchedule(content).length;
    if (occurrences > LIMITS.occurrences) issue(['priorityAreas'], `ger ${occurrences} tillfällen; högst ${LIMITS.occurrences} per löfte`);
  }
});

export type PromiseContent = z.infer<typeof PromiseContentSchema>;
export type PromiseContentInput = z.input<typeof PromiseContentSchema>;
export type Party = PromiseContent['parties'][number];
export type Signatory = PromiseContent['signatories'][number];
export type PriorityArea = PromiseContent['priorityAreas'][number];
export type Commitment = PriorityArea['commitments'][number];

export type Contact = z.infer<typeof ContactSchema>;
export type Step = z.infer<typeof StepSchema>;
export type CommitmentShape = z.infer<typeof CommitmentShapeSchema>;

/** Signatories set to sign with BankID where the installation has none: each named by its field. */
export const signingMethodProblems = (content: PromiseContent, bankIdOn: boolean): FieldProblem[] =>
  bankIdOn
    ? []
    : content.signatories.flatMap((s, i) =>
        s.signingMethod === 'BANKID'
          ? [
              {
                field: `content.signatories.${i}.signingMethod`,
                problem: 'BankID är inte inställt i den här installationen; välj länken i e-posten',
              },
            ]
          : [],
      );
