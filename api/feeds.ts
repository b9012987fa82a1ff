import { Feed } from 'feed';
import { html } from './pages/html';
import type { Texts } from './views/texts';
import type { PublicPromiseData } from './views/public';

// Atom feeds for those who follow a promise or a municipality: its signing, each report that stands
// and each published follow-up, newest first, built by the `feed` library from the same reading as
// the public pages (nothing a page does not show).

interface FeedOptions {
  baseUrl: string;
  title: string;
  /** The page the feed follows, and the feed's own address (both paths). */
  pagePath: string;
  feedPath: string;
  promises: PublicPromiseData[];
  t: Texts;
}

/** An instant for a date: noon in Sweden, so that every reader puts it on the right day. */
const atNoon = (date: string) => new Date(`${date}T12:00:00+01:00`);
const MAX_ENTRIES = 100;
/** The library marks titles and summaries as HTML: what people wrote is escaped to stay text. */
const asHtml = (text: string) => html`${text}`.value.replace(/\n/g, '<br>');

export function atomFeed({ baseUrl, title, pagePath, feedPath, promises, t }: FeedOptions): string {
  const texts = t.public;
  const entries = promises.flatMap((promise) => {
    const link = `${baseUrl}/loften/${promise.id}`;
    return [
      ...(promise.signedOn
        ? [
            {
              id: `${link}#signerat`,
              title: `${promise.title}: ${texts.signedOn(promise.signedOn)}`,
              date: atNoon(promise.signedOn),
              link,
              text: promise.period,
            },
          ]
        : []),
      ...promise.updates.map((u) => ({
        id: `${link}#rapport-${u.id}`,
        title: `${promise.title}: ${texts.update[u.kind] ?? u.kind} ${u.on}`,
        date: atNoon(u.on),
        link,
        text: [u.commitment, u.newDueDate ? texts.movedTo(u.newDueDate) : '', u.description ?? '', u.reason ?? '']
          .filter(Boolean)
          .join('\n\n'),
      })),
      ...promise.followUps.map((f) => ({
        id: `${link}#uppfoljning-${f.start}`,
        title: `${promise.title}: ${texts.followUp(f.start, f.end)}`,
        date: atNoon(f.publishedAt),
        link,
        text: f.narrative,
      })),
    ];
  });
  entries.sort((a, b) => b.date.getTime() - a.date.getTime());
  const shown = entries.slice(0, MAX_ENTRIES);
  const feed = new Feed({
    id: `${baseUrl}${feedPath}`,
    title,
    link: `${baseUrl}${pagePath}`,
    feedLinks: { atom: `${baseUrl}${feedPath}` },
    language: t.lang,
    updated: shown[0]?.date ?? new Date(0),
    copyright: texts.licence,
    generator: 'Medborgarlöften',
  });
  for (const entry of shown) {
    feed.addItem({ id: entry.id, title: asHtml(entry.title), link: entry.link, date: entry.date, description: asHtml(entry.text) });
  }
  return feed.atom1();
}
