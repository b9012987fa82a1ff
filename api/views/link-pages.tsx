import type { ComponentChildren } from 'preact';
import type { Sender } from '../../store/promises';
import { Layout, type PageContext } from './layout';

// What every page behind a personal link shares: who is asking and how to reach them, and the page
// that only says what happened to the link (expired, used, voided, withdrawn).

/** A link page's own address in the page's language (the key stays in the path, never in a query). */
export const inLanguage = (path: string, context: PageContext) => `${path}?sprak=${context.t.lang}`;

export function AskedBy({ context, sender }: { context: PageContext; sender: Sender }) {
  const texts = context.t.links;
  const { coordinator, organisation } = sender;
  return (
    <aside class="notice" aria-labelledby="vem-fragar">
      <h2 id="vem-fragar">{texts.askedBy}</h2>
      <p>{texts.coordinator(coordinator.name, organisation)}</p>
      <ul class="plain">
        <li>
          {`${texts.email}: `}
          <a href={`mailto:${coordinator.email}`}>{coordinator.email}</a>
        </li>
        {coordinator.phone && (
          <li>
            {`${texts.phone}: `}
            <a href={`tel:${coordinator.phone.replace(/[^+0-9]/g, '')}`}>{coordinator.phone}</a>
          </li>
        )}
      </ul>
      <p>{texts.askFirst}</p>
    </aside>
  );
}

export function LinkNoticePage({
  context,
  notice: [title, text],
  sender,
  children,
}: {
  context: PageContext;
  notice: readonly [string, string];
  /** Whom to ask, when the link is known. */
  sender?: Sender;
  children?: ComponentChildren;
}) {
  return (
    <Layout context={context} title={title}>
      <h1>{title}</h1>
      <p class="notice">{text}</p>
      {children}
      {sender && <AskedBy context={context} sender={sender} />}
    </Layout>
  );
}
