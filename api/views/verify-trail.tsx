import type { ChainCheck } from '../../domain/audit-chain';
import { FileField, TextField, type Problems } from './fields';
import { Layout, ProblemSummary, type PageContext } from './layout';

// Anyone can check a downloaded audit trail: every link of its hash chain, and that it reaches the
// head published in the open data or printed in the signed PDF.

export function TrailVerifyPage({
  context,
  form,
  problems = new Map(),
  result,
}: {
  context: PageContext;
  form: { huvud?: string };
  problems?: Problems;
  result?: ChainCheck;
}) {
  const texts = context.t.public.verifyTrail;
  return (
    <Layout context={context} title={texts.title}>
      <p>
        <a href="/verifiera">{context.t.public.verify.title}</a>
      </p>
      <h1>{texts.title}</h1>
      <p>{texts.intro}</p>
      {result && (
        <section aria-labelledby="resultat" class="notice" role="status">
          <h2 id="resultat">{texts.resultTitle}</h2>
          <p>{result.intact ? texts.intact(result.events) : <strong>{texts.broken}</strong>}</p>
          {result.headAt !== undefined && <p>{texts.headFound(result.headAt)}</p>}
          {result.problems.length > 0 && (
            <ul>
              {result.problems.map((problem, index) => (
                <li key={index}>{describeChainProblem(texts.problem, problem)}</li>
              ))}
            </ul>
          )}
          {result.head && (
            <p>
              {`${texts.lastHead}: `}
              <span class="hash">{result.head}</span>
            </p>
          )}
        </section>
      )}
      <ProblemSummary t={context.t} problems={problems} labels={{ fil: texts.file, huvud: texts.head }} />
      <form method="post" action="/verifiera/handelser" enctype="multipart/form-data" novalidate>
        <FileField name="fil" label={texts.file} hint={texts.fileHint} accept="application/json,.json" problems={problems} />
        <TextField name="huvud" label={texts.head} hint={texts.headHint} value={form.huvud} problems={problems} />
        <button type="submit" class="primary">
          {texts.submit}
        </button>
      </form>
    </Layout>
  );
}

type ProblemTexts = PageContext['t']['public']['verifyTrail']['problem'];

/** A broken link of the chain in words (the page and `npm run verify-trail` say it alike). */
export function describeChainProblem(texts: ProblemTexts, problem: ChainCheck['problems'][number]): string {
  switch (problem.kind) {
    case 'CHANGED':
    case 'OUT_OF_ORDER':
    case 'BROKEN_LINK':
      return texts[problem.kind](problem.sequence);
    case 'MISSING':
      return texts.MISSING(problem.after, problem.next);
    case 'HEAD_NOT_FOUND':
      return texts.HEAD_NOT_FOUND(problem.head);
    case 'EMPTY':
      return texts.EMPTY;
  }
}
