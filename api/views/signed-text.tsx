import type { PromiseContent } from '../../domain/content';
import { renderDocument } from '../pages/document';
import type { PageContext } from './layout';

// The promise's text on a page: its own words as signed (Swedish), the product's words around them
// in the reader's language, and on a page in another language a line saying so.

export function SignedText({ context, content }: { context: PageContext; content: PromiseContent }) {
  const { t } = context;
  return (
    <>
      {t.lang !== 'sv' && <p class="notice">{t.signedTextLanguage}</p>}
      <div class="document" dangerouslySetInnerHTML={{ __html: renderDocument(content, t.lang).value }} />
    </>
  );
}
