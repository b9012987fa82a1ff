import { FileField, TextArea, TextField, type Problems } from './fields';
import { Layout, ProblemSummary, type PageContext } from './layout';

// Anyone can check a signed promise: a PDF from this service (its attached text), a text, or a
// fingerprint, against the fingerprint given and the signed promises on record.

export interface VerifyResult {
  /** The fingerprint of the text that was given (in a PDF or pasted), if any. */
  computed?: string;
  /** Whether it equals the fingerprint that was given, when both were. */
  matches?: boolean;
  /** The signed promises with the fingerprint looked up. */
  signed: { id: string; title: string; municipality: string; signedOn: string; signatories: string[] }[];
}

export function VerifyPage({
  context,
  form,
  problems = new Map(),
  result,
}: {
  context: PageContext;
  form: { fingeravtryck?: string; text?: string };
  problems?: Problems;
  result?: VerifyResult;
}) {
  const texts = context.t.public.verify;
  return (
    <Layout context={context} title={texts.title}>
      <p>
        <a href="/kommuner">{context.t.public.allMunicipalities}</a>
      </p>
      <h1>{texts.title}</h1>
      <p>{texts.intro}</p>
      {result && (
        <section aria-labelledby="resultat" class="notice" role="status">
          <h2 id="resultat">{texts.resultTitle}</h2>
          {result.computed && (
            <p>
              {`${texts.computed}: `}
              <span class="hash">{result.computed}</span>
            </p>
          )}
          {result.matches !== undefined && <p>{result.matches ? texts.matches : <strong>{texts.differs}</strong>}</p>}
          {result.signed.length === 0 ? (
            <p>{texts.notSigned}</p>
          ) : (
            result.signed.map((s) => (
              <div key={s.id}>
                <p>
                  <a href={`/loften/${s.id}`}>{texts.signedAs(s.title, s.municipality, s.signedOn)}</a>
                </p>
                <ul>
                  {s.signatories.map((name) => (
                    <li key={name}>{name}</li>
                  ))}
                </ul>
              </div>
            ))
          )}
        </section>
      )}
      <ProblemSummary t={context.t} problems={problems} labels={{ fil: texts.file, text: texts.text, fingeravtryck: texts.fingerprint }} />
      <form method="post" action="/verifiera" enctype="multipart/form-data" novalidate>
        <FileField name="fil" label={texts.file} hint={texts.fileHint} accept="application/pdf" problems={problems} />
        <TextArea name="text" label={texts.text} hint={texts.textHint} value={form.text} rows={4} problems={problems} />
        <TextField
          name="fingeravtryck"
          label={texts.fingerprint}
          hint={texts.fingerprintHint}
          value={form.fingeravtryck}
          problems={problems}
        />
        <button type="submit" class="primary">
          {texts.submit}
        </button>
      </form>
      <p>
        <a href="/verifiera/handelser">{context.t.public.verifyTrail.link}</a>
      </p>
    </Layout>
  );
}
