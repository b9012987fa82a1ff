import type { FieldProblem } from '../../domain/problems';
import { problemIn } from './fields';
import { Layout, type PageContext } from './layout';

// The pages that belong to no one in particular: the start page, and the page every error and
// unknown address answers with (its status's title, what happened, and what to correct).

export function HomePage({ context, mailbox }: { context: PageContext; mailbox: boolean }) {
  const texts = context.t.home;
  return (
    <Layout context={context} title={texts.title}>
      <h1>{context.t.site}</h1>
      <p>{texts.intro}</p>
      <ul>
        <li>
          <a href="/kommuner">{texts.municipalities}</a>: {texts.municipalitiesWhy}
        </li>
        <li>
          <a href="/verifiera">{texts.verify}</a>
        </li>
        <li>
          <a href="/oppna-data">{texts.openData}</a>
        </li>
        <li>
          <a href="/logga-in">{texts.signIn}</a>
        </li>
        <li>
          <a href="/openapi.json">{texts.api}</a>
        </li>
        <li>
          <a href="/health">{texts.health}</a>
        </li>
        {mailbox && (
          <li>
            <a href="/dev/mailbox">{texts.mailbox}</a>
          </li>
        )}
      </ul>
    </Layout>
  );
}

export function ErrorPage({
  context,
  status,
  message,
  details = [],
  form,
}: {
  context: PageContext;
  status: number;
  /** The service's own words, which are Swedish: marked so on a page in another language. */
  message: string;
  details?: FieldProblem[];
  /** The form that was sent, to go back to. */
  form?: string;
}) {
  const texts = context.t.errors;
  const title = texts.titles[status] ?? texts.other;
  const lang = context.t.lang === 'sv' ? undefined : 'sv';
  return (
    <Layout context={context} title={title}>
      <h1>{title}</h1>
      <div class="error" role="alert">
        {lang && <p>{texts.inSwedish}</p>}
        <p lang={lang}>{message}</p>
      </div>
      {details.length > 0 && (
        <>
          <p>{texts.fix}</p>
          <ul>
            {details.map((d) => (
              <li key={d.field}>{`${d.field}: ${problemIn(context.t, d)}`}</li>
            ))}
          </ul>
        </>
      )}
      {form && (
        <p>
          <a href={form}>{texts.backToForm}</a>
        </p>
      )}
      <p>
        <a href="/">{texts.home}</a>
      </p>
    </Layout>
  );
}
