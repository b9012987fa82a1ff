import { z } from 'zod';
import { lineTextProblem, longTextProblem } from './text';

// The text rules of domain/text.ts as zod schemas, for every field a person fills in; the rules
// themselves stay plain functions, which the workflows' validators and e-mail composition use too.

const checked = (problemOf: (text: string) => string | undefined) => (schema: z.ZodString) =>
  schema.superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
  });

/** A name, a title or a heading: one line, trimmed, not empty. */
export const lineText = (max: number, whenEmpty = 'får inte vara tom') =>
  checked(lineTextProblem)(z.string().trim().min(1, whenEmpty).max(max));

/** The long-text rules on a string schema of its own (e.g. an optional field that may be blank). */
export const withLongTextRules = checked(longTextProblem);

/** A text of paragraphs: line breaks allowed, trimmed, not empty. */
export const longText = (max: number, whenEmpty = 'får inte vara tom') => withLongTextRules(z.string().trim().min(1, whenEmpty).max(max));

/** A web address a person may open: https, or http for sites that have nothing else. */
export const webUrl = () => z.url({ protocol: /^https?$/, error: 'ska vara en webbadress som börjar med https:// (eller http://)' });

/** A phone number as people write it: "0470-410 00", "+46 470 410 00". */
export const phoneNumber = () =>
  z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'ska vara ett telefonnummer med siffror, t.ex. 0470-410 00 eller +46 470 410 00');
