import { describeProblems, type FieldProblem } from './problems';

// Text the database cannot store as sent: NUL (PostgreSQL's text and jsonb refuse it) and a
// UTF-16 surrogate without its pair (it has no UTF-8 form). Refused wherever text comes in, so
// that it never reaches an activity that would fail on it.

const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with this text, in Swedish, or undefined when it can be stored. */
export function unstorableCharacter(text: string): string | undefined {
  if (NUL.test(text)) return 'innehåller tecken som inte kan lagras (NUL, U+0000)';
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return `innehåller tecken som inte kan lagras (ett ensamt surrogattecken, U+${code})`;
  }
  return undefined;
}

/**
 * Every string and field name in an input that `check` finds wrong, by dotted path, in the input's
 * order (a field name's problem says so). Walked with a list of its own rather than by recursion,
 * so no depth can exhaust the stack.
 */
export function textProblemsIn(value: unknown, check: (text: string) => string | undefined): FieldProblem[] {
  type Pending = { value: unknown; path: (string | number)[] } | { problem: FieldProblem };
  const problems: FieldProblem[] = [];
  const pending: Pending[] = [{ value, path: [] }];
  // A field name is written as JSON escapes it, with U+FFFD (broken bytes) shown as "?".
  const keyName = (key: string) =>
    JSON.stringify(key)
      .slice(1, -1)
      .replace(/\ufffd/g, '?');
  while (pending.length > 0) {
    const next = pending.pop()!;
    if ('problem' in next) {
      problems.push(next.problem);
      continue;
    }
    const { value: current, path } = next;
    if (typeof current === 'string') {
      const problem = check(current);
      if (problem) problems.push({ field: path.length > 0 ? path.join('.') : '(body)', problem });
    } else if (current && typeof current === 'object') {
      const entries = Array.isArray(current) ? current.map((item, i) => [i, item] as const) : Object.entries(current);
      // Pushed last first, so the problems come out in the input's order.
      for (const [key, child] of entries.reverse()) {
        const keyProblem = typeof key === 'string' ? check(key) : undefined;
        pending.push(
          keyProblem
            ? { problem: { field: [...path, keyName(String(key))].join('.'), problem: `fältnamnet ${keyProblem}` } }
            : { value: child, path: [...path, key] },
        );
      }
    }
  }
  return problems;
}

/** Every string (and every field name) in an input that cannot be stored, by its dotted path. */
export const unstorableTextProblems = (value: unknown): FieldProblem[] => textProblemsIn(value, unstorableCharacter);

/** The text with anything unstorable replaced by U+FFFD, for messages built from error texts. */
export const storableText = (text: string): string => text.replace(new RegExp(`${NUL.source}|${LONE_SURROGATE.source}`, 'g'), '\ufffd');

/** One sentence naming every unstorable field of an input, or undefined when there is none. */
export function unstorableTextMessage(value: unknown): string | undefined {
  const problems = unstorableTextProblems(value);
  return problems.length > 0 ? `Ogiltig text: ${describeProblems(problems)}` : undefined;
}

// What a person types into a field, beyond what the database can store: control characters are
// refused everywhere (a line break, a tab only in long texts); names and titles also refuse line
// breaks (in an e-mail they would read as header lines) and the invisible controls that reorder
// text (U+202E makes "Anna" read as "annA"), so a signatory's name reads as it is stored.

const CONTROL_IN_LONG_TEXT = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_IN_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

const codePoint = (character: string) => `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** What is wrong with a one-line value (a name, a title), or undefined. */
export function lineTextProblem(text: string): string | undefined {
  const unstorable = unstorableCharacter(text);
  if (unstorable) return unstorable;
  const control = CONTROL_IN_LINE.exec(text);
  if (control)
    return /[\r\n\u2028\u2029]/.test(control[0])
      ? 'ska stå på en rad (radbrytning)'
      : `innehåller ett styrtecken (${codePoint(control[0])})`;
  const bidi = BIDI_CONTROL.exec(text);
  if (bidi) return `innehåller ett osynligt tecken som ändrar läsriktningen (${codePoint(bidi[0])})`;
  return undefined;
}

/** What is wrong with a long text (paragraphs), or undefined. */
export function longTextProblem(text: string): string | undefined {
  const control = CONTROL_IN_LONG_TEXT.exec(text);
  return unstorableCharacter(text) ?? (control ? `innehåller ett styrtecken (${codePoint(control[0])})` : undefined);
}

/** A value set into one line of an e-mail (a subject, a greeting) from data stored before these rules. */
export const asOneLine = (text: string): string =>
  text
    .replace(new RegExp(`${CONTROL_IN_LINE.source}|${BIDI_CONTROL.source}`, 'g'), ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
