import { CsrfField, Layout, ProblemSummary, type PageContext } from './layout';

// Signing in with a link sent by e-mail: ask for the link, the link's confirmation (a button, so
// that a mail scanner opening the link does not use it up), and what a link that cannot be used says.

export function SignInForm({
  context,
  validFor,
  email = '',
  problem,
}: {
  context: PageContext;
  validFor: string;
  email?: string;
  problem?: string;
}) {
  const { t } = context;
  return (
    <Layout context={context} title={t.signIn.title}>
      <h1>{t.signIn.title}</h1>
      <ProblemSummary t={t} problems={problem ? [{ field: 'email', problem }] : []} labels={{ email: t.signIn.email }} />
      <p>{t.signIn.intro(validFor)}</p>
      <form method="post" action="/logga-in">
        <CsrfField token={context.csrfToken} />
        <p>
          <label for="email">{t.signIn.email}</label>
          <br />
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="email"
            required
            value={email}
            aria-invalid={problem ? 'true' : undefined}
            aria-describedby={problem ? 'email-problem' : undefined}
          />
          {problem && (
            <span id="email-problem" class="field-problem">
              {problem}
            </span>
          )}
        </p>
        <p>
          <button type="submit" class="primary">
            {t.signIn.submit}
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function SignInConfirm({ context, name }: { context: PageContext; name: string }) {
  const { t } = context;
  return (
    <Layout context={context} title={t.signIn.confirmTitle}>
      <h1>{t.signIn.confirmTitle}</h1>
      <p>{t.signIn.confirm(name)}</p>
      <form method="post">
        <CsrfField token={context.csrfToken} />
        <button type="submit" class="primary">
          {t.signIn.confirmButton}
        </button>
      </form>
    </Layout>
  );
}

/** A page that only says what happened, with a way on. */
export function Notice({
  context,
  title,
  text,
  link,
}: {
  context: PageContext;
  title: string;
  text: string;
  link?: { href: string; label: string };
}) {
  return (
    <Layout context={context} title={title}>
      <h1>{title}</h1>
      <p class="notice">{text}</p>
      {link && (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      )}
    </Layout>
  );
}
