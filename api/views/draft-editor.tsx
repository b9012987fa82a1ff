import type { ComponentChildren } from 'preact';
import { withKeys } from '../../domain/keys';
import type { previewSchedule } from '../../domain/schedule';
import type { FieldProblem } from '../../domain/problems';
import type { DraftValue } from '../forms/promise-form';
import { Checkbox, CheckboxGroup, NumberField, Select, TextArea, TextField, type Problems, problemsByField } from './fields';
import { CsrfField, Layout, type PageContext, ProblemSummary, RefusalNotice } from './layout';
import type { Texts } from './texts';

// The promise editor: every field of the content model, rows added and removed by buttons that
// post the whole form back, each problem beside its field and in a summary that links to it, and
// the year's schedule as it would be planned. The same page writes a new draft, edits a draft, and
// revises a text during signing (with the warning that signatures become void).

export type SchedulePreview = ReturnType<typeof previewSchedule>;

export interface EditorData {
  /** Where the form posts. */
  action: string;
  mode: 'new' | 'draft' | 'signing';
  heading: string;
  value: DraftValue;
  problems: FieldProblem[];
  /** A row just added: its first field gets the focus. */
  focus?: string;
  /** The schedule, asked for with the preview button; 'invalid' when the form is not yet valid. */
  preview?: SchedulePreview | 'invalid';
  /** A new draft may start from one of these, or from JSON. */
  earlier?: { id: string; title: string }[];
  importText?: string;
  /** How the signatories sign: all at once, or group by group (a setting of the promise). */
  signingOrder?: 'PARALLEL' | 'GROUPED';
  /** Why saving was refused (e.g. the promise was signed meanwhile). */
  refusal?: string;
}

type Row = Record<string, unknown>;
const asRows = (value: unknown): Row[] => (Array.isArray(value) ? value.map((row) => (row ?? {}) as Row) : []);
const asRow = (value: unknown): Row => (typeof value === 'object' && value !== null ? (value as Row) : {});
const isIndex = (segment: string) => /^\d+$/.test(segment);

/** A field's name as the problem summary says it: "Fokusområde 1 › Löfte 2 › Antal". */
export function labelOfField(t: Texts, field: string): string {
  const { rows, labels } = t.editor;
  const segments = field.split('.');
  const parts: string[] = [];
  segments.forEach((segment, i) => {
    if (isIndex(segment)) {
      parts[parts.length - 1] = `${rows[segments[i - 1]!] ?? parts.at(-1)} ${Number(segment) + 1}`;
      return;
    }
    const inShape = segments.slice(0, i).includes('shape');
    const ofPerson = ['signatories', 'contacts', 'preparedBy'].includes(segments[i - 2] ?? '');
    if (segment === 'period' && inShape) parts.push(labels.per!);
    else if (segment === 'title' && ofPerson) parts.push(labels.personTitle!);
    else parts.push(labels[segment] ?? rows[segment] ?? segment);
  });
  return parts.join(' › ');
}

/** Parties and participants with the keys the schema will give them, for the choices that name them. */
function organisationChoices(value: DraftValue) {
  const taken = new Set<string>();
  const named = (list: unknown) => asRows(list).map((row) => ({ key: row.key as string | undefined, name: String(row.name ?? '') }));
  const parties = withKeys(named(value.parties), (p) => p.name, 'part', taken);
  const participants = withKeys(named(value.participants), (p) => p.name, 'medverkande', taken);
  const choice = (p: { key: string; name: string }) => [p.key, p.name || p.key] as const;
  return { parties: parties.map(choice), organisations: [...parties, ...participants].map(choice) };
}

interface Editing {
  t: Texts;
  problems: Problems;
  focus?: string;
}

function RemoveButton({ path, label }: { path: string; label: string }) {
  return (
    <button type="submit" name="_action" value={`remove:${path}`} class="secondary">
      {label}
    </button>
  );
}

/** A list of rows, each in its own fieldset with a way to remove it, and a button that adds one. */
function RowList({
  editing,
  path,
  list,
  children,
}: {
  editing: Editing;
  path: string;
  list: unknown;
  children: (row: Row, rowPath: string, focus: boolean) => ComponentChildren;
}) {
  const { t, problems } = editing;
  const rowName = t.editor.rows[path.split('.').at(-1)!]!;
  const problem = problems.get(path);
  return (
    <div class="rows" id={path}>
      {problem && <p class="field-problem">{problem}</p>}
      {asRows(list).map((row, i) => {
        const rowPath = `${path}.${i}`;
        return (
          <fieldset key={rowPath} class="row">
            <legend>{`${rowName} ${i + 1}`}</legend>
            {children(row, rowPath, editing.focus === rowPath)}
            <RemoveButton path={rowPath} label={`${t.editor.remove(rowName)} ${i + 1}`} />
          </fieldset>
        );
      })}
      <button type="submit" name="_action" value={`add:${path}`} class="secondary" autofocus={editing.focus === `add:${path}`}>
        {t.editor.add(rowName)}
      </button>
    </div>
  );
}

function Organisation({ editing, path, row, focus }: { editing: Editing; path: string; row: Row; focus: boolean }) {
  const { t, problems } = editing;
  const { labels } = t.editor;
  return (
    <>
      <TextField name={`${path}.name`} label={labels.name!} value={row.name} problems={problems} autofocus={focus} />
      <Select name={`${path}.kind`} label={labels.kind!} value={row.kind} options={t.editor.partyKinds} problems={problems} />
      <TextField name={`${path}.key`} label={labels.key!} value={row.key} hint={t.editor.keyHint} problems={problems} />
    </>
  );
}

function Person({
  editing,
  path,
  row,
  focus,
  withOrganisation,
}: {
  editing: Editing;
  path: string;
  row: Row;
  focus: boolean;
  withOrganisation?: boolean;
}) {
  const { labels } = editing.t.editor;
  const { problems } = editing;
  return (
    <>
      <TextField name={`${path}.name`} label={labels.name!} value={row.name} problems={problems} autofocus={focus} />
      <TextField name={`${path}.title`} label={labels.personTitle!} value={row.title} problems={problems} />
      {withOrganisation ? (
        <TextField name={`${path}.organisation`} label={labels.organisation!} value={row.organisation} problems={problems} />
      ) : (
        <TextField name={`${path}.email`} label={labels.email!} type="email" value={row.email} problems={problems} />
      )}
    </>
  );
}

/** How often a commitment is done; a step of a commitment in steps is the same without steps of its own. */
function ShapeFields({
  editing,
  path,
  shape,
  allowSteps,
  focus = false,
}: {
  editing: Editing;
  path: string;
  shape: Row;
  allowSteps: boolean;
  focus?: boolean;
}) {
  const { t, problems } = editing;
  const { labels } = t.editor;
  const kind = String(shape.kind ?? 'COUNT_PER_PERIOD');
  const kinds = allowSteps ? t.editor.shapeKinds : t.editor.shapeKinds.filter(([k]) => k !== 'STEPS');
  const within = asRow(shape.within);
  const months = Array.isArray(within.months) ? within.months.map(String) : [];
  const dateToBeSet = shape.dateToBeSet !== undefined && shape.dateToBeSet !== false;
  return (
    <>
      <Select name={`${path}.kind`} label={labels.kind!} value={kind} options={kinds} problems={problems} autofocus={focus} />
      <button type="submit" name="_action" value="refresh" class="secondary">
        {t.editor.refresh}
      </button>
      {kind === 'COUNT_PER_PERIOD' && (
        <>
          <NumberField name={`${path}.count`} label={labels.count!} value={shape.count} problems={problems} />
          <Select name={`${path}.period`} label={labels.per!} value={shape.period ?? 'YEAR'} options={t.editor.units} problems={problems} />
          <Checkbox name={`${path}.atLeast`} label={labels.atLeast!} checked={shape.atLeast === true} />
          <Select
            name={`${path}.within.kind`}
            label={labels.within!}
            value={within.kind ?? ''}
            options={t.editor.withinKinds}
            problems={problems}
          />
          {within.kind === 'MONTHS' && (
            <CheckboxGroup
              name={`${path}.within.months`}
              label={labels.months!}
              chosen={months}
              options={t.editor.months.map((month, i) => [String(i + 1), month] as const)}
              problems={problems}
            />
          )}
          <TextField name={`${path}.from`} label={labels.from!} type="date" value={shape.from} problems={problems} />
        </>
      )}
      {kind === 'ONE_OFF' && (
        <>
          <TextField name={`${path}.dueDate`} label={labels.dueDate!} type="date" value={shape.dueDate} problems={problems} />
          <Checkbox name={`${path}.dateToBeSet`} label={labels.dateToBeSet!} checked={dateToBeSet} />
          <TextField
            name={`${path}.dateToBeSetWhen`}
            label={labels.dateToBeSetWhen!}
            hint={t.editor.hints.dateToBeSetWhen}
            value={asRow(shape.dateToBeSet).when ?? shape.dateToBeSetWhen}
            problems={problems}
          />
        </>
      )}
      {kind === 'CONTINUOUS' && (
        <>
          <Select
            name={`${path}.reportEvery`}
            label={labels.reportEvery!}
            value={shape.reportEvery ?? ''}
            options={[['', t.editor.reportEveryUnstated], ...t.editor.units.filter(([unit]) => unit !== 'YEAR')]}
            problems={problems}
          />
          <TextField name={`${path}.from`} label={labels.from!} type="date" value={shape.from} problems={problems} />
        </>
      )}
      {kind === 'STEPS' && (
        <RowList editing={editing} path={`${path}.steps`} list={shape.steps}>
          {(step, stepPath, focus) => <ShapeFields editing={editing} path={stepPath} shape={step} allowSteps={false} focus={focus} />}
        </RowList>
      )}
    </>
  );
}

function CommitmentFields({
  editing,
  path,
  commitment,
  focus,
  organisations,
}: {
  editing: Editing;
  path: string;
  commitment: Row;
  focus: boolean;
  organisations: readonly (readonly [string, string])[];
}) {
  const { t, problems } = editing;
  const { labels } = t.editor;
  const responsible = Array.isArray(commitment.responsiblePartyKeys) ? commitment.responsiblePartyKeys.map(String) : [];
  return (
    <>
      <TextArea name={`${path}.text`} label={labels.text!} value={commitment.text} rows={3} problems={problems} autofocus={focus} />
      <CheckboxGroup
        name={`${path}.responsiblePartyKeys`}
        label={labels.responsiblePartyKeys!}
        hint={t.editor.hints.responsiblePartyKeys}
        chosen={responsible}
        options={organisations}
        keepChosenOrder
        problems={problems}
      />
      <fieldset class="shape" id={`${path}.shape`}>
        <legend>{labels.shape}</legend>
        <ShapeFields editing={editing} path={`${path}.shape`} shape={asRow(commitment.shape)} allowSteps />
      </fieldset>
      <RowList editing={editing} path={`${path}.contacts`} list={commitment.contacts}>
        {(contact, contactPath, focusContact) => <Person editing={editing} path={contactPath} row={contact} focus={focusContact} />}
      </RowList>
      {/* A commitment's key follows it through versions and renewals; made from its text, two can look alike, so no one is shown it. */}
      <input type="hidden" name={`${path}.key`} value={typeof commitment.key === 'string' ? commitment.key : ''} />
    </>
  );
}

function Preview({ t, preview }: { t: Texts; preview: SchedulePreview | 'invalid' }) {
  const texts = t.editor;
  if (preview === 'invalid') {
    return (
      <section aria-labelledby="forhandsgranskning">
        <h2 id="forhandsgranskning">{texts.previewTitle}</h2>
        <p>{texts.previewInvalid}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="forhandsgranskning">
      <h2 id="forhandsgranskning">{texts.previewTitle}</h2>
      <p class="notice">{texts.previewNotSaved}</p>
      <p>{texts.previewReminderRule}</p>
      <table>
        <caption>{`${texts.previewTitle} ${preview.period.start} – ${preview.period.end}`}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.previewColumns.commitment}</th>
            <th scope="col">{texts.previewColumns.date}</th>
            <th scope="col">{texts.previewColumns.reminders}</th>
          </tr>
        </thead>
        <tbody>
          {preview.occurrences.map((o) => (
            <tr key={`${o.commitmentKey}-${o.sequence}`}>
              <td>{o.commitment}</td>
              <td>{o.dueDate ?? t.promise.dateToBeSet}</td>
              <td>{o.reminders.length}</td>
            </tr>
          ))}
          {preview.waitingSteps.map((w) => (
            <tr key={`${w.commitmentKey}-steg-${w.step}`}>
              <td>{w.commitment}</td>
              <td>{texts.previewWaitingStep(w.step)}</td>
              <td>0</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{texts.previewFollowUps(preview.followUps.map((f) => f.end).join(', '))}</p>
      {preview.renewalAt && <p>{texts.previewRenewal(preview.renewalAt.slice(0, 10))}</p>}
    </section>
  );
}

/** Saving and previewing, at the top of the form (the first button is what Enter in a field presses) and at its end. */
function SaveButtons({ t, mode }: { t: Texts; mode: EditorData['mode'] }) {
  return (
    <p class="actions">
      <button type="submit" name="_action" value="save" class="primary">
        {mode === 'signing' ? t.editor.saveRevision : t.editor.save}
      </button>
      <button type="submit" name="_action" value="preview" class="secondary">
        {t.editor.preview}
      </button>
    </p>
  );
}

function StartFrom({ context, data }: { context: PageContext; data: EditorData }) {
  const texts = context.t.editor;
  return (
    <>
      {data.earlier && data.earlier.length > 0 && (
        <form method="get" action={data.action} class="start-from">
          <Select name="fran" label={texts.fromEarlier} options={data.earlier.map((p) => [p.id, p.title] as const)} problems={new Map()} />
          <button type="submit" class="secondary">
            {texts.fromEarlierButton}
          </button>
        </form>
      )}
      <details>
        <summary>{texts.importTitle}</summary>
        <form method="post" action={data.action}>
          <CsrfField token={context.csrfToken} />
          <p>{texts.importIntro}</p>
          <TextArea
            name="_json"
            label={texts.importLabel}
            value={data.importText}
            rows={6}
            problems={problemsByField(context.t, data.problems)}
          />
          <button type="submit" name="_action" value="import" class="secondary">
            {texts.importButton}
          </button>
        </form>
      </details>
    </>
  );
}

export function DraftEditor({ context, data }: { context: PageContext; data: EditorData }) {
  const { t } = context;
  const texts = t.editor;
  const { labels } = texts;
  const { value } = data;
  const problems = problemsByField(t, data.problems);
  const editing: Editing = { t, problems, focus: data.focus };
  const { parties, organisations } = organisationChoices(value);
  const situation = asRow(value.situation);
  const references = asRow(value.references);
  return (
    <Layout context={context} title={data.heading}>
      <h1>{data.heading}</h1>
      <RefusalNotice text={data.refusal} />
      <ProblemSummary t={t} problems={data.problems} labels={(field) => labelOfField(t, field)} />
      <p>{texts.intro}</p>
      {data.mode === 'new' && <StartFrom context={context} data={data} />}
      <form method="post" action={data.action} novalidate>
        <CsrfField token={context.csrfToken} />
        {data.mode === 'signing' && (
          <div class="error" role="note">
            <h2>{texts.signingWarningTitle}</h2>
            <p>{texts.signingWarning}</p>
            <CheckboxGroup
              name="_confirmVoid"
              label={texts.signingWarningTitle}
              chosen={[]}
              options={[['on', texts.confirmVoid]]}
              problems={problems}
            />
          </div>
        )}
        <SaveButtons t={t} mode={data.mode} />
        {data.preview && <Preview t={t} preview={data.preview} />}

        <h2>{texts.sections.basics}</h2>
        <TextField name="title" label={labels.title!} value={value.title} problems={problems} />
        <TextField name="municipality" label={labels.municipality!} value={value.municipality} problems={problems} />
        <TextField name="policeArea" label={labels.policeArea!} value={value.policeArea} problems={problems} />
        <fieldset id="period">
          <legend>{labels.period}</legend>
          <TextField name="period.start" label={labels.start!} type="date" value={asRow(value.period).start} problems={problems} />
          <TextField name="period.end" label={labels.end!} type="date" value={asRow(value.period).end} problems={problems} />
        </fieldset>
        <Select name="renewal" label={labels.renewal!} value={value.renewal ?? 'ANNUAL'} options={texts.renewals} problems={problems} />
        <TextField name="place" label={labels.place!} value={value.place} problems={problems} />
        <TextField
          name="documentDate"
          label={labels.documentDate!}
          type="date"
          value={value.documentDate}
          hint={texts.hints.documentDate}
          problems={problems}
        />

        <h2>{texts.sections.situation}</h2>
        <TextArea name="situation.summary" label={labels.summary!} value={situation.summary} rows={6} problems={problems} />
        <RowList editing={editing} path="situation.sources" list={situation.sources}>
          {(source, path, focus) => (
            <>
              <Select name={`${path}.kind`} label={labels.kind!} value={source.kind} options={texts.sourceKinds} problems={problems} />
              <TextArea
                name={`${path}.description`}
                label={labels.description!}
                value={source.description}
                rows={2}
                problems={problems}
                autofocus={focus}
              />
            </>
          )}
        </RowList>

        <h2>{texts.sections.parties}</h2>
        <RowList editing={editing} path="parties" list={value.parties}>
          {(party, path, focus) => <Organisation editing={editing} path={path} row={party} focus={focus} />}
        </RowList>

        <h2>{texts.sections.participants}</h2>
        <RowList editing={editing} path="participants" list={value.participants}>
          {(participant, path, focus) => <Organisation editing={editing} path={path} row={participant} focus={focus} />}
        </RowList>

        <h2>{texts.sections.signatories}</h2>
        {data.mode !== 'signing' && (
          <Select
            name="signingOrder"
            label={labels.signingOrder!}
            value={data.signingOrder ?? 'PARALLEL'}
            options={texts.signingOrders}
            problems={problems}
          />
        )}
        <RowList editing={editing} path="signatories" list={value.signatories}>
          {(signatory, path, focus) => (
            <>
              <Person editing={editing} path={path} row={signatory} focus={focus} />
              <Select name={`${path}.partyKey`} label={labels.partyKey!} value={signatory.partyKey} options={parties} problems={problems} />
              <NumberField
                name={`${path}.signingGroup`}
                label={labels.signingGroup!}
                hint={texts.hints.signingGroup}
                value={signatory.signingGroup ?? 1}
                problems={problems}
              />
              <Select
                name={`${path}.signingMethod`}
                label={labels.signingMethod!}
                hint={texts.hints.signingMethod}
                value={signatory.signingMethod ?? 'EMAIL_LINK'}
                options={texts.signingMethods}
                problems={problems}
              />
              <TextField name={`${path}.key`} label={labels.key!} value={signatory.key} hint={texts.keyHint} problems={problems} />
            </>
          )}
        </RowList>

        <h2>{texts.sections.areas}</h2>
        <TextArea name="commitmentsIntro" label={labels.commitmentsIntro!} value={value.commitmentsIntro} rows={4} problems={problems} />
        <RowList editing={editing} path="priorityAreas" list={value.priorityAreas}>
          {(area, path, focus) => (
            <>
              <TextField name={`${path}.title`} label={labels.title!} value={area.title} problems={problems} autofocus={focus} />
              <TextArea name={`${path}.problem`} label={labels.problem!} value={area.problem} rows={3} problems={problems} />
              <TextArea name={`${path}.cause`} label={labels.cause!} value={area.cause} rows={3} problems={problems} />
              <RowList editing={editing} path={`${path}.commitments`} list={area.commitments}>
                {(commitment, commitmentPath, focusCommitment) => (
                  <CommitmentFields
                    editing={editing}
                    path={commitmentPath}
                    commitment={commitment}
                    focus={focusCommitment}
                    organisations={organisations}
                  />
                )}
              </RowList>
              <TextField name={`${path}.key`} label={labels.key!} value={area.key} hint={texts.keyHint} problems={problems} />
            </>
          )}
        </RowList>

        <h2>{texts.sections.texts}</h2>
        <TextArea name="goal" label={labels.goal!} value={value.goal} problems={problems} />
        <TextArea name="followUp" label={labels.followUp!} value={value.followUp} problems={problems} />
        <TextArea name="communication" label={labels.communication!} value={value.communication} problems={problems} />
        <fieldset id="references">
          <legend>{labels.references}</legend>
          <TextField
            name="references.situationReportUrl"
            label={labels.situationReportUrl!}
            type="url"
            value={references.situationReportUrl}
            problems={problems}
          />
          <TextField
            name="references.actionPlanUrl"
            label={labels.actionPlanUrl!}
            type="url"
            value={references.actionPlanUrl}
            problems={problems}
          />
        </fieldset>

        <h2>{texts.sections.authors}</h2>
        <RowList editing={editing} path="preparedBy" list={value.preparedBy}>
          {(author, path, focus) => <Person editing={editing} path={path} row={author} focus={focus} withOrganisation />}
        </RowList>

        <SaveButtons t={t} mode={data.mode} />
      </form>
    </Layout>
  );
}
