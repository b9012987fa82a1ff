import { verifyChain, type ChainCheck } from '../domain/audit-chain';
import { jsonDepth, MAX_JSON_DEPTH } from '../domain/input-encoding';
import { AuditChainSchema } from '../domain/responses';
import type { Texts } from './views/texts';

// Checking a downloaded audit trail against itself and, when given, against the chain's head
// published in the open data or printed in the PDF: the page /verifiera/handelser and the command
// `npm run verify-trail` both read a trail here.

const HEAD = /^[0-9a-f]{64}$/;

/** A trail file's content, or why it is none: JSON in the shape of AuditChainSchema, not too deep to walk. */
export function readTrail(text: string) {
  let value: unknown;
  try {
    if (jsonDepth(text) > MAX_JSON_DEPTH) return undefined;
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = AuditChainSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function checkTrail(form: { fil?: Buffer; huvud?: string }, t: Texts): { problems: Map<string, string>; result?: ChainCheck } {
  const texts = t.public.verifyTrail;
  const problems = new Map<string, string>();
  const head = form.huvud?.trim().toLowerCase() || undefined;
  if (head && !HEAD.test(head)) problems.set('huvud', texts.badHead);
  if (!form.fil || form.fil.length === 0) {
    problems.set('fil', texts.nothing);
    return { problems };
  }
  const trail = readTrail(new TextDecoder('utf-8', { fatal: false }).decode(form.fil));
  if (!trail) problems.set('fil', texts.notJson);
  if (!trail || problems.size > 0) return { problems };
  return { problems, result: verifyChain(trail, head) };
}
