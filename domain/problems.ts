// A problem with one field of an input, as every refusal names it (HTTP 400 details, the pages'
// forms, a workflow's rejected update). Free of zod, so the workflow bundle can use it.

export interface FieldProblem {
  /** Dotted path into the input, e.g. "signatories.2.email"; "(body)" for the whole input. */
  field: string;
  problem: string;
  /** The problem in English, where it was worded then (zod's own messages); else problemInEnglish has it. */
  en?: string;
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
}
