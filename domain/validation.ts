import { z } from 'zod';

// Swedish first: zod's own messages (wrong type, too short) come in Swedish too.
z.config(z.locales.sv());
// A missing field says so, rather than which type was expected of it.
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'saknas' : undefined) });

export interface FieldProblem {
  /** Dotted path into the input, e.g. "signatories.2.email"; "(body)" for the whole input. */
  field: string;
  problem: string;
}

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    problem: issue.message,
  }));
}

export function describeProblems(problems: FieldProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
}
