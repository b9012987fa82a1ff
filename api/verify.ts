import type { FastifyRequest } from 'fastify';
import { stockholmDateOf, stockholmTimeOf } from '../domain/calendar';
import { sha256Hex } from '../domain/crypto';
import type { Database } from '../store/database';
import { signedWithFingerprint } from '../store/public';
import { HttpError } from './errors';
import { attachedSignedText } from './pdf/attached-text';
import type { Texts } from './views/texts';
import type { VerifyResult } from './views/verify';

// Checking a signed promise: the text a PDF carries (or a pasted text) is hashed, compared with
// the fingerprint given, and the fingerprint is looked up among the promises signed by all.

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export interface VerifyForm {
  fil?: Buffer;
  text?: string;
  fingeravtryck?: string;
}

/**
 * A check form's parts, sent as multipart/form-data: its one file (empty when none was chosen) and
 * its text fields. A field the form does not have is refused by name, as the schema says (no
 * additional properties).
 */
export async function readUploadForm<Field extends string>(
  request: FastifyRequest,
  fields: readonly Field[],
): Promise<{ fil?: Buffer } & Partial<Record<Field, string>>> {
  const form: { fil?: Buffer } & Partial<Record<string, string>> = {};
  if (!request.isMultipart()) throw new HttpError('UNSUPPORTED_MEDIA_TYPE', 'Skicka formuläret som multipart/form-data.');
  const unknown: string[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file' && part.fieldname === 'fil') form.fil = await part.toBuffer();
      else if (part.type === 'file') {
        await part.toBuffer();
        unknown.push(part.fieldname);
      } else if ((fields as readonly string[]).includes(part.fieldname) && typeof part.value === 'string') {
        form[part.fieldname] = part.value;
      } else unknown.push(part.fieldname);
    }
  } catch (error) {
    // The plugin's own refusals (too large, too many parts) carry their status; the parser's do not.
    if (typeof (error as { statusCode?: unknown }).statusCode === 'number') throw error;
    throw new HttpError('VALIDATION', 'Formuläret kunde inte läsas som multipart/form-data.');
  }
  if (unknown.length > 0) {
    throw new HttpError(
      'VALIDATION',
      'Formuläret har fält som sidan inte har.',
      unknown.map((field) => ({
        field: field || '(namnlöst fält)',
        problem: `okänt fält; formuläret har ${['fil', ...fields].join(', ')}`,
      })),
    );
  }
  return form as { fil?: Buffer } & Partial<Record<Field, string>>;
}

export const readVerifyForm = (request: FastifyRequest): Promise<VerifyForm> => readUploadForm(request, ['text', 'fingeravtryck']);

/** A checked form's page answers 400 while the form has problems to correct. */
export const checkedStatus = (problems: Map<string, string>) => (problems.size > 0 ? 400 : 200);

const FINGERPRINT = /^[0-9a-f]{64}$/;

/** The outcome of a check, or the problems of the form by field. */
export async function verify(db: Database, form: VerifyForm, t: Texts): Promise<{ problems: Map<string, string>; result?: VerifyResult }> {
  const texts = t.public.verify;
  const problems = new Map<string, string>();
  const given = form.fingeravtryck?.trim().toLowerCase() || undefined;
  if (given && !FINGERPRINT.test(given)) problems.set('fingeravtryck', texts.badFingerprint);
  let text = form.text || undefined;
  if (form.fil && form.fil.length > 0) {
    text = await attachedSignedText(form.fil);
    if (text === undefined) problems.set('fil', texts.noText);
  }
  if (!text && !given && problems.size === 0) problems.set('fil', texts.nothing);
  if (problems.size > 0) return { problems };

  const computed = text === undefined ? undefined : sha256Hex(text);
  const rounds = await signedWithFingerprint(db, (computed ?? given)!);
  return {
    problems,
    result: {
      computed,
      matches: computed && given ? computed === given : undefined,
      signed: rounds.map((round) => ({
        ...round.promise,
        signedOn: round.endedAt ? stockholmDateOf(round.endedAt) : '',
        signatories: round.requests.map(
          (r) =>
            `${r.signatory.name}, ${r.signatory.title}, ${r.signatory.party.name} – ${t.public.signedOn(stockholmTimeOf(r.signature!.decidedAt.getTime()))} ${t.public.signedWith[r.signature!.method]}`,
        ),
      })),
    },
  };
}
