import type { FieldProblem } from './problems';
import { textProblemsIn } from './text';

// What arrives, checked before anything reads it: invalid UTF-8 would otherwise become U+FFFD
// without anyone noticing (and be signed and mailed so), and a JSON body nested thousands of
// levels deep would exhaust the stack of whatever walks it. Nothing here recurses.

/** How deep a JSON body may nest. The deepest real input (a promise's content) needs eight levels. */
export const MAX_JSON_DEPTH = 32;

export const INVALID_UTF8 = 'är inte giltig UTF-8 (bytes som inte är text)';
export const INVALID_PERCENT_ENCODING = 'har en %-kodning som inte är giltig UTF-8';

/** How deeply a JSON text nests its arrays and objects, counted without parsing it. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * The fields, in the JSON text decoded with U+FFFD for each broken sequence, whose name or value
 * holds a replacement character: the fields where the bytes were broken.
 */
export const fieldsWithReplacement = (value: unknown): FieldProblem[] =>
  textProblemsIn(value, (text) => (text.includes('\ufffd') ? INVALID_UTF8 : undefined));

/**
 * A query string or an urlencoded form as fields (a name given twice becomes a list, as browsers
 * send checkboxes), decoded strictly: a %-sequence that is not UTF-8 is a problem naming its
 * field, never a replacement character or the raw sequence.
 */
export function decodeUrlEncoded(text: string): { fields: Record<string, string | string[]>; problems: FieldProblem[] } {
  const fields: Record<string, string | string[]> = Object.create(null);
  const problems: FieldProblem[] = [];
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  };
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const name = decode(rawName);
    const value = decode(equals === -1 ? '' : pair.slice(equals + 1));
    if (name === undefined) {
      problems.push({ field: rawName, problem: `fältnamnet ${INVALID_PERCENT_ENCODING}` });
      continue;
    }
    if (value === undefined) {
      problems.push({ field: name, problem: INVALID_PERCENT_ENCODING });
      continue;
    }
    const earlier = fields[name];
    fields[name] = earlier === undefined ? value : [earlier, value].flat();
  }
  return { fields, problems };
}
