import { z } from 'zod';
import { EXPECTED_TYPES } from './problem-english';
import type { FieldProblem } from './problems';

// Swedish first: zod's own messages (wrong type, too short) come in Swedish too.
const swedish = z.locales.sv();
const english = z.locales.en();
z.config(swedish);
// A missing field says so, rather than which type was expected of it; something else entirely
// says what it should be ("ska vara ett tal"), not zod's names of types. The words are the
// product's, so problemInEnglish has their English.
z.config({
  customError: (issue) => {
    if (issue.code !== 'invalid_type') return undefined;
    if (issue.input === undefined) return 'saknas';
    return `ska vara ${EXPECTED_TYPES[issue.expected]?.sv ?? issue.expected}`;
  },
});

export type ZodIssue = z.core.$ZodIssue;
type LocaleError = NonNullable<z.core.$ZodConfig['localeError']>;
const messageOf = (locale: LocaleError, issue: ZodIssue) => {
  const message = locale(issue as Parameters<LocaleError>[0]);
  return typeof message === 'string' ? message : message?.message;
};

/**
 * A problem zod found, in Swedish, and in English when the words are zod's own (its English
 * locale says them); the schemas' own words are translated by problemInEnglish.
 */
export function problemOf(issue: ZodIssue, field: string): FieldProblem {
  const own = issue.message === messageOf(swedish.localeError, issue) ? messageOf(english.localeError, issue) : undefined;
  return { field, problem: issue.message, ...(own ? { en: own } : {}) };
}

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => problemOf(issue, issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)'));
}
