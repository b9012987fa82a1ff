import { Feed } from 'feed';
import { uuidFromName } from '../domain/crypto';
import { html } from './pages/html';
import type { Texts } from './views/texts';
import type { PublicPromiseData } from './views/public';

// Atom feeds for those who follow a promise or a municipality: its signing, each report that stands
// and each published follow-up, newest first, at the time each happened, built by the `feed`
// library from the same reading as the public pages (nothing a page does not show).

interface FeedOptions {
  baseUrl: string;
  title: string;
  /** Who the feed is from (RFC 4287 asks for an author): the municipality. */
  author: string;
  /** The page the feed follows, and the feed's own address (both paths). */
  pagePath: string;
  feedPath: string;
  promises: PublicPromiseData[];
  t: Texts;
}

const MAX_ENTRIES = 100;
/** The library marks titles and summaries as HTML: what people wrote is escaped to stay text. */
const asHtml = (text: string) => html`${text}`.value.replace(/\n/g, '<br>');
/**
 * An id that stays when the installation moves to another address (ids built from the URL would
 * make every reader see everything again): a URN of a UUID, the report's own or one named by what
 * the entry is.
 */
const urn = (uuid: string) => `urn:uuid:${uuid}`;
const named = (name: string) => urn(uuidFromName(`medborgarlofte-flode:${name}`));

/** The feed, and when it last changed (its newest entry), for Last-Modified. */
export function atomFeed({ baseUrl, title, author, pagePath, feedPath, promises, t }: FeedOptions): { xml: string; updated: Date } {
  const texts = t.public;
  const entries = promises.flatMap((promise) => {
    const link = `${baseUrl}/loften/${promise.id}`;
    return [
      ...(promise.signedOn && promise.signedInstant
        ? [
            {
              id: named(`signerat:${promise.id}`),
              title: `${promise.title}: ${texts.signedOn(promise.signedOn)}`,
              updated: promise.signedInstant,
              published: promise.signedInstant,
              link,
              text: promise.period,
            },
          ]
        : []),
      // A correction updates its original's entry, marked as corrected.
      ...promise.updates.map((u) => ({
        id: urn(u.original.id),
        title: `${promise.title}: ${texts.update[u.kind] ?? u.kind} ${u.on}${u.correctsId ? ` (${texts.corrected})` : ''}`,
        updated: u.reportedAt,
        published: u.original.reportedAt,
        link,
        text: [u.commitment, u.newDueDate ? texts.movedTo(u.newDueDate) : '', u.description ?? '', u.reason ?? '']
          .filter(Boolean)
          .join('\n\n'),
      })),
      ...promise.followUps.map((f) => ({
        id: named(`uppfoljning:${promise.id}:${f.index}`),
        title: `${promise.title}: ${texts.followUp(f.start, f.end)}`,
        updated: f.publishedInstant,
        published: f.publishedInstant,
        link,
        text: f.narrative,
      })),
    ];
  });
  entries.sort((a, b) => b.updated.getTime() - a.updated.getTime());
  const shown = entries.slice(0, MAX_ENTRIES);
  const updated = shown[0]?.updated ?? new Date(0);
  const feed = new Feed({
    id: named(pagePath),
    title,
    link: `${baseUrl}${pagePath}`,
    feedLinks: { atom: `${baseUrl}${feedPath}` },
    language: t.lang,
    updated,
    author: { name: author },
    copyright: texts.licence,
    generator: 'Medborgarlöften',
  });
  for (const entry of shown) {
    feed.addItem({
      id: entry.id,
      title: asHtml(entry.title),
      link: entry.link,
      date: entry.updated,
      published: entry.published,
      description: asHtml(entry.text),
    });
  }
  return { xml: feed.atom1(), updated };
}
