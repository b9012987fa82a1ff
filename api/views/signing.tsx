import type { PromiseContent } from '../../domain/content';
import { SignedText } from './signed-text';
import type { Sender } from '../../store/promises';
import type { Problems } from './fields';
import { TextArea } from './fields';
import { Layout, type PageContext } from './layout';
import { BankIdChoice } from './bankid';
import { AskedBy, inLanguage } from './link-pages';

// The signatory's pages: the text to read with who asks, who signs and what a signature binds to;
// then the confirmation with the signatory's name; then the receipt. Declining is its own form.

export interface SigningPageData {
  /** The link's own path, `/sign/<key>`. */
  path: string;
  signatory: { name: string; title: string; party: string };
  promise: { title: string; municipality: string };
  version: { number: number; sha256: string; canonicalText: string };
  /** The text as the public will read it (escaped by its builder). */
  /** The promise's content as signed. */
  content: PromiseContent;
  deadline: string;
  sender: Sender;
  parties: { id: string; name: string; title: string; party: string; you: boolean; signedOn: string | null }[];
  /** How this signatory signs; with BankID, whether the coordinator locked it to their number. */
  method: 'EMAIL_LINK' | 'BANKID';
  bankIdPinned: boolean;
}

function Fingerprint({ context, data }: { context: PageContext; data: SigningPageData }) {
  const texts = context.t.links.signing;
  return (
    <section aria-labelledby="vad-du-skriver-under">
      <h2 id="vad-du-skriver-under">{texts.fingerprintTitle}</h2>
      <p>{texts.fingerprint(data.version.number)}</p>
      <p>
        {`${texts.fingerprintLabel}: `}
        <span class="hash" id="sha">
          {data.version.sha256}
        </span>
      </p>
      <p>
        <a href={`/verifiera?fingeravtryck=${data.version.sha256}`}>{texts.verify}</a>
      </p>
      <details>
        <summary>{texts.exactText}</summary>
        <pre class="wrap">{data.version.canonicalText}</pre>
      </details>
    </section>
  );
}

export function SigningPage({
  context,
  data,
  problems = new Map(),
  reason,
}: {
  context: PageContext;
  data: SigningPageData;
  /** The decline form's problems: shown beside the field, which gets the focus. */
  problems?: Problems;
  reason?: string;
}) {
  const texts = context.t.links.signing;
  const { signatory, promise, sender } = data;
  return (
    <Layout context={context} title={texts.title}>
      <h1>{`${texts.title}: ${promise.title}`}</h1>
      <p>{texts.greeting(signatory.name, signatory.title, signatory.party)}</p>
      <p>{texts.intro(context.t.links.coordinator(sender.coordinator.name, sender.organisation), promise.title, promise.municipality)}</p>
      <p>
        <strong>{texts.deadline(data.deadline)}</strong>
      </p>
      <AskedBy context={context} sender={sender} />

      <h2>{texts.partiesTitle}</h2>
      <table>
        <caption>{texts.partiesCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.columns.name}</th>
            <th scope="col">{texts.columns.title}</th>
            <th scope="col">{texts.columns.party}</th>
            <th scope="col">{texts.columns.state}</th>
          </tr>
        </thead>
        <tbody>
          {data.parties.map((p) => (
            <tr key={p.id}>
              <td>{p.you ? `${p.name} (${texts.you})` : p.name}</td>
              <td>{p.title}</td>
              <td>{p.party}</td>
              <td>{p.signedOn ? texts.signedOn(p.signedOn) : texts.waiting}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <Fingerprint context={context} data={data} />

      <h2>{texts.textTitle}</h2>
      <SignedText context={context} content={data.content} />

      <p>
        <a class="button primary" href={inLanguage(`${data.path}/bekrafta`, context)}>
          {texts.next}
        </a>
      </p>

      <section aria-labelledby="avboj">
        <h2 id="avboj">{texts.declineTitle}</h2>
        <p>{texts.declineIntro}</p>
        <form method="post" action={inLanguage(data.path, context)} novalidate>
          <input type="hidden" name="documentSha256" value={data.version.sha256} />
          <TextArea name="reason" label={texts.reason} value={reason} rows={3} problems={problems} autofocus={problems.has('reason')} />
          <button type="submit" name="decision" value="DECLINE" class="secondary">
            {texts.decline}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** The second step: who signs, what, and the one button that signs. */
export function ConfirmSigningPage({ context, data }: { context: PageContext; data: SigningPageData }) {
  const texts = context.t.links.signing;
  const { signatory } = data;
  return (
    <Layout context={context} title={texts.confirmTitle}>
      <h1>{texts.confirmTitle}</h1>
      <dl>
        <dt>{texts.confirmAs}</dt>
        <dd>
          <strong>{`${signatory.name}, ${signatory.title}, ${signatory.party}`}</strong>
        </dd>
        <dt>{texts.confirmWhat(data.version.number, data.promise.title)}</dt>
        <dd class="hash">{data.version.sha256}</dd>
      </dl>
      <p>{texts.confirmNote}</p>
      {data.method === 'BANKID' ? (
        <BankIdChoice context={context} data={data} />
      ) : (
        <form method="post" action={inLanguage(data.path, context)}>
          <input type="hidden" name="documentSha256" value={data.version.sha256} />
          <div class="actions">
            <button type="submit" name="decision" value="SIGN" class="primary">
              {texts.confirm(signatory.name)}
            </button>
            <a class="button" href={inLanguage(data.path, context)}>
              {texts.back}
            </a>
          </div>
        </form>
      )}
      <AskedBy context={context} sender={data.sender} />
    </Layout>
  );
}

/** The receipt of an answer, right after it or on a later visit to the link. */
export function SigningAnsweredPage({
  context,
  title,
  text,
  sha256,
  next,
}: {
  context: PageContext;
  title: string;
  text: string;
  sha256: string;
  /** What happens now: a line, or the promise's public page once everyone has signed. */
  next?: { text: string } | { publicPath: string };
}) {
  const texts = context.t.links.signing;
  return (
    <Layout context={context} title={title}>
      <h1>{title}</h1>
      <p class="notice">{text}</p>
      <p>
        {`${texts.fingerprintLabel}: `}
        <span class="hash">{sha256}</span>
      </p>
      {next && 'text' in next && <p>{next.text}</p>}
      {next && 'publicPath' in next && (
        <p>
          <a href={next.publicPath}>{context.t.links.publicPage}</a>
        </p>
      )}
    </Layout>
  );
}
