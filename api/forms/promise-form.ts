import { formFields } from '../../domain/text-schemas';
import type { Contact, PromiseContent, PromiseContentInput } from '../../domain/content';
import { contactsOf } from '../../domain/stored-content';

// The promise editor's HTML form and the content model, both ways. A field's name is its path in
// the content ("priorityAreas.0.commitments.1.shape.count"), so zod's problems land beside the
// field that caused them. Rows are added and removed by the form's own buttons: the whole form
// travels with each press, so nothing is stored until the draft is valid and saved.

/** A form as the server parses it (api/body-parsers.ts): repeated names (checkboxes) become lists. */
export const FormFieldsSchema = formFields({});
export type FormFields = Record<string, string | string[] | undefined>;

/**
 * What the editor shows: the content as typed, before the schema's checks (numbers may still be
 * text the coordinator typed, rows may be empty).
 */
export type DraftValue = DeepPartial<PromiseContentInput>;
type DeepPartial<T> = T extends (infer U)[] ? DeepPartial<U>[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

type Tree = { [key: string]: Node };
type Node = string | string[] | Tree | Node[] | undefined;

const isIndex = (segment: string) => /^\d{1,3}$/.test(segment);

/** The fields as nested objects and lists, by the dots in their names; form-only fields (`_…`) left out. */
export function treeOf(fields: FormFields): Tree {
  const root: Tree = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith('_') || value === undefined) continue;
    const segments = name.split('.');
    if (segments.some((s) => s === '' || s === '__proto__' || s === 'constructor' || s === 'prototype')) continue;
    let node: Record<string, Node> = root;
    segments.forEach((segment, i) => {
      if (i === segments.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next !== 'object' || next === null || Array.isArray(next) !== isIndex(segments[i + 1]!)) {
        node[segment] = isIndex(segments[i + 1]!) ? [] : {};
      }
      node = node[segment] as Record<string, Node>;
    });
  }
  return root;
}

const text = (node: Node): string | undefined => {
  const value = Array.isArray(node) ? node[0] : node;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
};
const tree = (node: Node): Tree => (typeof node === 'object' && node !== null && !Array.isArray(node) ? node : {});
/** The rows of a list, in their order (a removed row leaves a gap in the numbering). */
const rows = (node: Node): Tree[] => (Array.isArray(node) ? node.filter((row) => row !== undefined).map(tree) : []);
const texts = (node: Node): string[] =>
  (Array.isArray(node) ? node : node === undefined ? [] : [node]).filter((v) => typeof v === 'string');
/** A whole number as a number; anything else as typed, for the schema to name the problem. */
const wholeNumber = (node: Node): number | string | undefined => {
  const value = text(node)?.trim();
  return value !== undefined && /^\d{1,4}$/.test(value) ? Number(value) : value;
};
const withoutEmpty = <T extends object>(object: T): T =>
  Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
const listOrNothing = <T>(list: T[]) => (list.length > 0 ? list : undefined);

function shapeOf(fields: Tree, allowSteps: boolean): unknown {
  const kind = text(fields.kind) ?? 'COUNT_PER_PERIOD';
  if (kind === 'ONE_OFF') {
    const later = text(fields.dateToBeSet) !== undefined;
    return withoutEmpty({
      kind,
      dueDate: text(fields.dueDate),
      dateToBeSet: later ? withoutEmpty({ when: text(fields.dateToBeSetWhen) }) : undefined,
    });
  }
  if (kind === 'CONTINUOUS') return withoutEmpty({ kind, reportEvery: text(fields.reportEvery), from: text(fields.from) });
  if (kind === 'STEPS' && allowSteps) return { kind, steps: rows(fields.steps).map((step) => shapeOf(step, false)) };
  const within = tree(fields.within);
  const withinKind = text(within.kind);
  return withoutEmpty({
    kind: 'COUNT_PER_PERIOD',
    count: wholeNumber(fields.count),
    period: text(fields.period),
    atLeast: text(fields.atLeast) !== undefined ? true : undefined,
    within:
      withinKind === 'MONTHS'
        ? { kind: withinKind, months: texts(within.months).map(Number) }
        : withinKind === 'SCHOOL_TERMS'
          ? { kind: withinKind }
          : undefined,
    from: text(fields.from),
  });
}

const organisationOf = (row: Tree) => withoutEmpty({ key: text(row.key), name: text(row.name), kind: text(row.kind) });

/** The content a posted form describes, for the schema to check. */
export function contentFromForm(fields: FormFields): DraftValue {
  const form = treeOf(fields);
  const situation = tree(form.situation);
  const references = withoutEmpty({
    situationReportUrl: text(tree(form.references).situationReportUrl),
    actionPlanUrl: text(tree(form.references).actionPlanUrl),
  });
  return withoutEmpty({
    title: text(form.title),
    municipality: text(form.municipality),
    policeArea: text(form.policeArea),
    period: withoutEmpty({ start: text(tree(form.period).start), end: text(tree(form.period).end) }),
    renewal: text(form.renewal) as 'ANNUAL' | 'NONE' | undefined,
    situation: {
      summary: text(situation.summary),
      sources: rows(situation.sources).map((row) => withoutEmpty({ kind: text(row.kind), description: text(row.description) })),
    },
    priorityAreas: rows(form.priorityAreas).map((area) =>
      withoutEmpty({
        key: text(area.key),
        title: text(area.title),
        problem: text(area.problem),
        cause: text(area.cause),
        commitments: rows(area.commitments).map((commitment) =>
          withoutEmpty({
            key: text(commitment.key),
            text: text(commitment.text),
            shape: shapeOf(tree(commitment.shape), true),
            responsiblePartyKeys: texts(commitment.responsiblePartyKeys),
            contacts: listOrNothing(
              rows(commitment.contacts).map((row) =>
                withoutEmpty({ name: text(row.name), title: text(row.title), email: text(row.email) }),
              ),
            ),
          }),
        ),
      }),
    ),
    commitmentsIntro: text(form.commitmentsIntro),
    goal: text(form.goal),
    followUp: text(form.followUp),
    communication: text(form.communication),
    references: Object.keys(references).length > 0 ? references : undefined,
    place: text(form.place),
    documentDate: text(form.documentDate),
    preparedBy: listOrNothing(
      rows(form.preparedBy).map((row) =>
        withoutEmpty({ name: text(row.name), title: text(row.title), organisation: text(row.organisation) }),
      ),
    ),
    parties: rows(form.parties).map(organisationOf),
    participants: listOrNothing(rows(form.participants).map(organisationOf)),
    signatories: rows(form.signatories).map((row) =>
      withoutEmpty({
        key: text(row.key),
        name: text(row.name),
        title: text(row.title),
        partyKey: text(row.partyKey),
        email: text(row.email),
        signingGroup: wholeNumber(row.signingGroup),
        signingMethod: row.signingMethod === 'BANKID' ? 'BANKID' : undefined,
      }),
    ),
  }) as DraftValue;
}

/** Stored or imported content as the editor shows it: one form for contacts (the older single `contact` as a list of one). */
export function draftValueOf(content: PromiseContent | DraftValue): DraftValue {
  return {
    ...content,
    priorityAreas: content.priorityAreas?.map((area) => ({
      ...area,
      commitments: area?.commitments?.map((commitment) => {
        if (!commitment) return commitment;
        const { contact, ...rest } = commitment as { contact?: Contact; contacts?: Contact[] };
        return contact ? { ...rest, contacts: contactsOf({ contact, contacts: rest.contacts }) } : commitment;
      }),
    })),
  } as DraftValue;
}

/**
 * Where a problem of the schema is shown: the field of that name, or the field that stands for a
 * list of choices (a month, a responsible party) or for a part typed in another field.
 */
export function fieldOfProblem(path: (string | number)[]): string {
  const names = path.map(String);
  const last = names.length - 1;
  if (isIndex(names[last] ?? '') && (names[last - 1] === 'months' || names[last - 1] === 'responsiblePartyKeys')) names.pop();
  if (names.at(-2) === 'dateToBeSet' && names.at(-1) === 'when') names.splice(-2, 2, 'dateToBeSetWhen');
  if (names.at(-1) === 'contact') names.splice(-1, 1, 'contacts');
  return names.join('.') || 'title';
}

/** The row a new row of this list starts as. */
const NEW_ROWS: Record<string, unknown> = {
  priorityAreas: { commitments: [{ shape: { kind: 'COUNT_PER_PERIOD', period: 'YEAR' } }] },
  commitments: { shape: { kind: 'COUNT_PER_PERIOD', period: 'YEAR' } },
  steps: { kind: 'ONE_OFF' },
  signatories: { signingGroup: 1 },
};

/** The lists of the form a button may add to or remove from. */
const LISTS = new Set([
  'preparedBy',
  'parties',
  'participants',
  'signatories',
  'sources',
  'priorityAreas',
  'commitments',
  'contacts',
  'steps',
]);

/**
 * A row added to or removed from a list of the value, by a button's `_action`: "add:parties" or
 * "remove:priorityAreas.0.commitments.2". Returns where the focus goes next: the row added; after a
 * removal the row that took its place, or the list's add button ("add:<list>") when it was the last.
 */
export function changeRows(value: DraftValue, action: string): { value: DraftValue; focus?: string } {
  const [verb, path = ''] = action.split(':', 2);
  const segments = path.split('.');
  const copy = structuredClone(value) as Record<string, unknown>;
  const listName = verb === 'add' ? segments.at(-1)! : segments.at(-2)!;
  if (!LISTS.has(listName)) return { value };
  const listPath = verb === 'add' ? segments : segments.slice(0, -1);
  let holder: Record<string, unknown> = copy;
  for (const segment of listPath.slice(0, -1)) {
    const next = holder[segment];
    if (typeof next !== 'object' || next === null) return { value };
    holder = next as Record<string, unknown>;
  }
  const key = listPath.at(-1)!;
  const list = Array.isArray(holder[key]) ? (holder[key] as unknown[]) : [];
  holder[key] = list;
  if (verb === 'add') {
    list.push(structuredClone(NEW_ROWS[listName] ?? {}));
    return { value: copy as DraftValue, focus: `${path}.${list.length - 1}` };
  }
  if (verb !== 'remove') return { value };
  const index = Number(segments.at(-1));
  list.splice(index, 1);
  const rows = listPath.join('.');
  return { value: copy as DraftValue, focus: index < list.length ? `${rows}.${index}` : `add:${rows}` };
}
