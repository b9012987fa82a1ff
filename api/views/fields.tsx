import type { ComponentChildren } from 'preact';
import { problemInEnglish } from '../../domain/problem-english';
import type { FieldProblem } from '../../domain/problems';
import type { Texts } from './texts';

// The form fields of the coordinator's pages: a label, the field, a hint, and the problem beside it
// (announced with the field, which is marked invalid). A field's id is its name, so a form's
// problem summary links straight to it.

/** A form's problems by field name, in the page's language. */
export type Problems = ReadonlyMap<string, string>;

/** A problem in the page's language: the product finds problems in Swedish, and says them in English on English pages. */
export const problemIn = (t: Texts, p: FieldProblem): string =>
  t.lang === 'sv' ? p.problem : (p.en ?? problemInEnglish(p.problem) ?? p.problem);

/** Each field's problem (its first, where it has several), in the page's language. */
export function problemsByField(t: Texts, problems: readonly FieldProblem[]): Problems {
  const byField = new Map<string, string>();
  for (const p of problems) if (!byField.has(p.field)) byField.set(p.field, problemIn(t, p));
  return byField;
}

interface FieldBase {
  name: string;
  label: string;
  problems: Problems;
  hint?: string;
  autofocus?: boolean;
}

/** What a field is described by: its hint and its problem, when there are any. */
function describedBy({ name, hint, problems }: FieldBase) {
  const ids = [hint ? `${name}-hint` : '', problems.has(name) ? `${name}-problem` : ''].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : undefined;
}

function FieldFrame({ field, children }: { field: FieldBase; children: ComponentChildren }) {
  const problem = field.problems.get(field.name);
  return (
    <div class={problem ? 'field invalid' : 'field'}>
      <label for={field.name}>{field.label}</label>
      {field.hint && (
        <span class="hint" id={`${field.name}-hint`}>
          {field.hint}
        </span>
      )}
      {problem && (
        <span class="field-problem" id={`${field.name}-problem`}>
          {problem}
        </span>
      )}
      {children}
    </div>
  );
}

const shown = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function TextField(props: FieldBase & { value?: unknown; type?: 'text' | 'email' | 'date' | 'url' }) {
  return (
    <FieldFrame field={props}>
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={shown(props.value)}
        autofocus={props.autofocus}
        aria-describedby={describedBy(props)}
        aria-invalid={props.problems.has(props.name) ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

/** A file to upload: the form must be sent as multipart/form-data. */
export function FileField(props: FieldBase & { accept: string }) {
  return (
    <FieldFrame field={props}>
      <input
        id={props.name}
        name={props.name}
        type="file"
        accept={props.accept}
        aria-describedby={describedBy(props)}
        aria-invalid={props.problems.has(props.name) ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

export function NumberField(props: FieldBase & { value?: unknown }) {
  return (
    <FieldFrame field={props}>
      <input
        id={props.name}
        name={props.name}
        type="text"
        inputMode="numeric"
        class="short"
        value={shown(props.value)}
        aria-describedby={describedBy(props)}
        aria-invalid={props.problems.has(props.name) ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

export function TextArea(props: FieldBase & { value?: unknown; rows?: number }) {
  return (
    <FieldFrame field={props}>
      <textarea
        id={props.name}
        name={props.name}
        rows={props.rows ?? 4}
        autofocus={props.autofocus}
        aria-describedby={describedBy(props)}
        aria-invalid={props.problems.has(props.name) ? 'true' : undefined}
      >
        {shown(props.value)}
      </textarea>
    </FieldFrame>
  );
}

export function Select(props: FieldBase & { value?: unknown; options: readonly (readonly [string, string])[] }) {
  const value = shown(props.value);
  // A value not among the choices (e.g. a party since renamed) stays selectable, so saving keeps it.
  const options = props.options.some(([v]) => v === value) || value === '' ? props.options : [...props.options, [value, value] as const];
  return (
    <FieldFrame field={props}>
      <select
        id={props.name}
        name={props.name}
        autofocus={props.autofocus}
        aria-describedby={describedBy(props)}
        aria-invalid={props.problems.has(props.name) ? 'true' : undefined}
      >
        {options.map(([v, label]) => (
          <option key={v} value={v} selected={v === value}>
            {label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function Checkbox({
  name,
  label,
  checked,
  value = 'on',
  id = value === 'on' ? name : `${name}-${value}`,
}: {
  name: string;
  label: string;
  checked: boolean;
  value?: string;
  /** Its own id; a box of a group has one apart from the group's, which is the name. */
  id?: string;
}) {
  return (
    <label class="choice" for={id}>
      <input type="checkbox" id={id} name={name} value={value} checked={checked} /> {label}
    </label>
  );
}

/**
 * Checkboxes under one name. With `keepChosenOrder` the chosen come first, in their order, since
 * a browser posts boxes in the page's order and that order is part of the text ("polisen och
 * kommunen"); the rest follow in the options' order, so a box ticked now comes last.
 */
export function CheckboxGroup(
  props: FieldBase & { chosen: readonly string[]; options: readonly (readonly [string, string])[]; keepChosenOrder?: boolean },
) {
  const problem = props.problems.get(props.name);
  const label = (value: string) => props.options.find(([v]) => v === value)?.[1] ?? value;
  const options = props.keepChosenOrder
    ? [...props.chosen.map((c) => [c, label(c)] as const), ...props.options.filter(([v]) => !props.chosen.includes(v))]
    : [...props.options, ...props.chosen.filter((c) => !props.options.some(([v]) => v === c)).map((c) => [c, c] as const)];
  return (
    <fieldset id={props.name} class={problem ? 'choices invalid' : 'choices'} aria-describedby={describedBy(props)}>
      <legend>{props.label}</legend>
      {props.hint && (
        <span class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </span>
      )}
      {problem && (
        <span class="field-problem" id={`${props.name}-problem`}>
          {problem}
        </span>
      )}
      {options.map(([value, label]) => (
        <Checkbox
          key={value}
          name={props.name}
          id={`${props.name}-${value}`}
          value={value}
          label={label}
          checked={props.chosen.includes(value)}
        />
      ))}
    </fieldset>
  );
}
