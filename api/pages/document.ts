import type { PromiseContent } from '../../domain/content';
import { describeShape, PARTY_KIND_SV, SOURCE_KIND_SV } from '../../domain/describe';
import { html, type Html } from './html';

/** The promise as a reader sees it: the same content that is hashed and signed. */
export function renderDocument(content: PromiseContent): Html {
  const partyName = new Map([...content.parties, ...(content.participants ?? [])].map((p) => [p.key, p.name]));
  const participants = content.participants ?? [];
  const authors = content.preparedBy ?? [];
  return html`
<article>
  <h2>${content.title}</h2>
  <p>${content.municipality} och ${content.policeArea ?? 'Polismyndigheten'}. Gäller ${content.period.start} – ${content.period.end}${
    content.renewal === 'ANNUAL' ? ', förnyas varje år' : ''
  }.</p>
  ${
    authors.length > 0
      ? html`<p>Framtaget av ${authors.map((a, i) => html`${i > 0 ? (i === authors.length - 1 ? ' och ' : ', ') : ''}${a.name}, ${a.title}${a.organisation ? html` (${a.organisation})` : ''}`)}.</p>`
      : ''
  }
  <h3>Lägesbild</h3>
  <p>${content.situation.summary}</p>
  ${
    content.situation.sources.length > 0
      ? html`<ul>${content.situation.sources.map((s) => html`<li>${SOURCE_KIND_SV[s.kind]}: ${s.description}</li>`)}</ul>`
      : ''
  }
  <h3>Fokusområden och löften</h3>
  ${content.priorityAreas.map(
    (area) => html`
  <section>
    <h4>${area.title}</h4>
    ${area.problem ? html`<p><strong>Problem:</strong> ${area.problem}</p>` : ''}
    ${area.cause ? html`<p><strong>Orsak:</strong> ${area.cause}</p>` : ''}
    <ul>
      ${area.commitments.map(
        (c) =>
          html`<li>${c.text} <br><small>${describeShape(c.shape)}. Ansvar: ${c.responsiblePartyKeys
            .map((key) => partyName.get(key) ?? key)
            .join(', ')}.</small></li>`,
      )}
    </ul>
  </section>`,
  )}
  ${content.goal ? html`<h3>Vad vill vi uppnå?</h3><p>${content.goal}</p>` : ''}
  <h3>Uppföljning</h3>
  <p>${content.followUp}</p>
  ${content.communication ? html`<h3>Följ med hur det går</h3><p>${content.communication}</p>` : ''}
  <h3>Parter och undertecknare</h3>
  <ul>
    ${content.signatories.map(
      (s) =>
        html`<li>${s.name}, ${s.title} (${partyName.get(s.partyKey) ?? s.partyKey}, ${
          PARTY_KIND_SV[content.parties.find((p) => p.key === s.partyKey)?.kind ?? 'OTHER']
        })</li>`,
    )}
  </ul>
  ${
    participants.length > 0
      ? html`<h3>Medverkar utan att skriva under</h3><ul>${participants.map((p) => html`<li>${p.name} (${PARTY_KIND_SV[p.kind]})</li>`)}</ul>`
      : ''
  }
  ${content.place || content.documentDate ? html`<p>${[content.place, content.documentDate].filter(Boolean).join(' ')}</p>` : ''}
</article>`;
}
