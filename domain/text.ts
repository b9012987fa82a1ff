import { describeProblems, type FieldProblem } from './validation';

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

/** Every string (and every field name) in an input that cannot be stored, by its dotted path. */
export function unstorableTextProblems(value: unknown, path: (string | number)[] = []): FieldProblem[] {
  const field = path.length > 0 ? path.join('.') : '(body)';
  if (typeof value === 'string') {
    const problem = unstorableCharacter(value);
    return problem ? [{ field, problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => unstorableTextProblems(item, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => {
      const keyProblem = unstorableCharacter(key);
      const safeKey = keyProblem ? JSON.stringify(key).slice(1, -1) : key;
      return keyProblem
        ? [{ field: [...path, safeKey].join('.'), problem: `fältnamnet ${keyProblem}` }]
        : unstorableTextProblems(child, [...path, key]);
    });
  }
  return [];
}

/** The text with anything unstorable replaced by U+FFFD, for messages built from error texts. */
export const storableText = (text: string): string =>
  text.replace(new RegExp(`${NUL.source}|${LONE_SURROGATE.source}`, 'g'), '\ufffd');

/** One sentence naming every unstorable field of an input, or undefined when there is none. */
export function unstorableTextMessage(value: unknown): string | undefined {
  const problems = unstorableTextProblems(value);
  return problems.length > 0 ? `Ogiltig text: ${describeProblems(problems)}` : undefined;
}
