import { z } from 'zod';
import type { FieldProblem } from './problems';

// Swedish first: zod's own messages (wrong type, too short) come in Swedish too.
z.config(z.locales.sv());
// A missing field says so, rather than which type was expected of it.
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'saknas' : undefined) });

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)',
    problem: issue.message,
  }));
}
