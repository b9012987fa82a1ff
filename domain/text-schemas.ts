import { z } from 'zod';
import { lineTextProblem, longTextProblem } from './text';

// The text rules of domain/text.ts as zod schemas, for every field a person fills in; the rules
// themselves stay plain functions, which the workflows' validators and e-mail composition use too.

// The same rules as JSON Schema patterns, so that the OpenAPI document says what is refused and a
// client (or Schemathesis) can tell a valid text from one that is not without trying. A pattern
// cannot name the character, so the zod check stays and gives the message.
const LONG_TEXT_CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
const LINE_CONTROLS = '\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
/** No character from `controls`, and (when `nonBlank`) at least one that is not white space. */
const patternWithout = (controls: string, nonBlank: boolean) =>
  nonBlank ? `^[^\\S${controls}]*[^\\s${controls}][^${controls}]*$` : `^[^${controls}]*$`;

const checked = (problemOf: (text: string) => string | undefined, pattern: string) => (schema: z.ZodString) =>
  schema
    .superRefine((value, ctx) => {
      const problem = problemOf(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: value });
    })
    .meta({ pattern });

/** A name, a title or a heading: one line, trimmed, not empty. */
export const lineText = (max: number, whenEmpty = 'får inte vara tom') =>
  checked(lineTextProblem, patternWithout(LINE_CONTROLS, true))(z.string().trim().min(1, whenEmpty).max(max));

/** The long-text rules on a string schema of its own (e.g. an optional field that may be blank). */
export const withLongTextRules = checked(longTextProblem, patternWithout(LONG_TEXT_CONTROLS, false));

/** A text of paragraphs: line breaks allowed, trimmed, not empty. */
export const longText = (max: number, whenEmpty = 'får inte vara tom') =>
  checked(longTextProblem, patternWithout(LONG_TEXT_CONTROLS, true))(z.string().trim().min(1, whenEmpty).max(max));

/** What a form's field (or a link's part) may hold at all: anything but NUL, which cannot be stored. */
const STORABLE = '^[^\\u0000]*$';

/** A form's text as it is posted, before the page's own checks: the schema says only that it is storable. */
export const formText = () => z.string().meta({ pattern: STORABLE });

/**
 * A form as browsers post it: the named fields, and any other field (a repeated name is a list)
 * with a storable name and value. The page reads the fields it knows.
 */
export const formFields = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z
    .object(shape)
    .catchall(z.union([formText(), z.array(formText())]))
    .meta({ propertyNames: { pattern: STORABLE } });

/** A web address a person may open: https, or http for sites that have nothing else. */
export const webUrl = () => z.url({ protocol: /^https?$/, error: 'ska vara en webbadress som börjar med https:// (eller http://)' });

/** A phone number as people write it: "0470-410 00", "+46 470 410 00". */
export const phoneNumber = () =>
  z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ()-]{5,24}$/, 'ska vara ett telefonnummer med siffror, t.ex. 0470-410 00 eller +46 470 410 00');
