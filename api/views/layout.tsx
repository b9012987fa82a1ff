import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';
import type { FastifyReply } from 'fastify';
import { STYLESHEET_PATH } from '../pages/html';
import type { FieldProblem } from '../../domain/problems';
import { problemIn, type Problems } from './fields';
import type { Texts } from './texts';

// The coordinator's pages share this frame: the language, the skip link, who is signed in and the
// way out, and the language switch back to the page one is on.

export interface PageContext {
  t: Texts;
  /** The path of the page, for the language switch to come back to. */
  path: string;
  /** The signed-in coordinator, if any. */
  coordinator?: { name: string };
  /** The CSRF token every form on the page posts. */
  csrfToken: string;
  /** Where the language switch goes, when not through /sprak (a page behind a personal link). */
  switchHref?: string;
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function Layout({
  context,
  title,
  children,
  head,
}: {
  context: PageContext;
  title: string;
  children: ComponentChildren;
  /** More for the page's head: a refresh while something runs elsewhere, the page's script. */
  head?: ComponentChildren;
}) {
  const { t, coordinator, csrfToken, path } = context;
  return (
    <html lang={t.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t.site}`}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
        {head}
      </head>
      <body>
        <a class="skip" href="#innehall">
          {t.skipToContent}
        </a>
        <header class="site">
          <a href={coordinator ? '/app' : '/'}>{t.site}</a>
          <nav>
            <a
              href={context.switchHref ?? `/sprak/${t.otherLanguage.lang}?tillbaka=${encodeURIComponent(path)}`}
              lang={t.otherLanguage.lang}
            >
              {t.otherLanguage.label}
            </a>
            {coordinator && <a href="/app/kollegor">{t.colleagues.nav}</a>}
            {coordinator && <a href="/app/personuppgifter">{t.rights.nav}</a>}
            {coordinator && <a href="/app/api-nycklar">{t.apiKeys.nav}</a>}
            {coordinator && <a href="/app/webhooks">{t.webhooks.nav}</a>}
            {coordinator && (
              <form method="post" action="/logga-ut" class="inline">
                <CsrfField token={csrfToken} />
                <span>{t.signedInAs(coordinator.name)}</span> <button type="submit">{t.signOut}</button>
              </form>
            )}
          </nav>
        </header>
        <main id="innehall">{children}</main>
        <footer>
          <a href="/integritet">{t.privacy.nav}</a>
        </footer>
      </body>
    </html>
  );
}

/** What an action just did, said where a screen reader announces it; nothing when there is nothing to say. */
export function StatusNotice({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {text}
    </p>
  );
}

/** Why what was asked was not done, announced at once; nothing when nothing was refused. */
export function RefusalNotice({ text }: { text?: string | undefined }) {
  if (!text) return null;
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

/**
 * A refused form's problems at its top, each linking to its field by the field's label (by its
 * name where it has none). `problems` as the pages keep them: a list, or problem by field.
 */
export function ProblemSummary({
  t,
  problems: given,
  labels,
}: {
  t: Texts;
  problems: readonly FieldProblem[] | Problems;
  labels: Partial<Record<string, string>> | ((field: string) => string | undefined);
}) {
  const problems = 'get' in given ? [...given].map(([field, problem]) => ({ field, problem })) : given;
  if (problems.length === 0) return null;
  const labelOf = typeof labels === 'function' ? labels : (field: string) => labels[field];
  // Focus comes here after a form is refused, so a keyboard user starts from what to correct.
  return (
    <div class="error" role="alert" tabindex={-1} autofocus id="problem-summary">
      <p>{t.problemsIntro}</p>
      <ul>
        {problems.map((p) => (
          <li key={p.field}>
            <a href={`#${p.field}`}>{labelOf(p.field) ?? p.field}</a>: {problemIn(t, p)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Answers with a whole page: the doctype and the rendered component. */
export function sendView(reply: FastifyReply, status: number, view: preact.VNode) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>\n${render(view)}`);
}
