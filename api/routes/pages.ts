import type { FastifyInstance } from 'fastify';
import type { LocalMailbox } from '../../platform/embedded/mailbox';
import { html, sendPage } from '../pages/html';
import type { ApiRegistry } from '../openapi';
import type { ApiDeps } from '../server';

/** The start page, the OpenAPI document, and (embedded mode only) the local mailbox. */
export function pageRoutes(app: FastifyInstance, deps: ApiDeps, registry: ApiRegistry) {
  app.get('/', async (_request, reply) =>
    sendPage(
      reply,
      200,
      'Start',
      html`<h1>Medborgarlöften</h1>
<p>Den här tjänsten tar ett medborgarlöfte från utkast, via signering av alla parter, genom året med aktiviteter, påminnelser och uppföljning, till förnyelsen.</p>
<ul>
  <li><a href="/openapi.json">API-beskrivning (OpenAPI)</a> för samordnare</li>
  <li><a href="/health">Hälsa</a></li>
  ${deps.mailbox ? html`<li><a href="/dev/mailbox">Lokal brevlåda</a>: e-post som tjänsten har skickat</li>` : ''}
</ul>`,
    ),
  );

  app.get('/openapi.json', async () => registry.openApi(deps.publicBaseUrl));

  const mailbox: LocalMailbox | undefined = deps.mailbox;
  if (!mailbox) return;

  app.get('/dev/mailbox', async (_request, reply) =>
    sendPage(
      reply,
      200,
      'Lokal brevlåda',
      html`<h1>Lokal brevlåda</h1>
<p>All e-post som tjänsten skickar hamnar här när ingen SMTP_URL är satt. Nyast överst.</p>
${mailbox.messages.length === 0
  ? html`<p>Inga meddelanden än.</p>`
  : html`<table><thead><tr><th>Tid</th><th>Till</th><th>Ämne</th></tr></thead><tbody>
${[...mailbox.messages].reverse().map(
  (m) => html`<tr><td>${m.receivedAt.toISOString().slice(0, 19).replace('T', ' ')}</td><td>${m.to.join(', ')}</td><td><a href="/dev/mailbox/${m.id}">${m.subject}</a></td></tr>`,
)}
</tbody></table>`}`,
    ),
  );

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id', async (request, reply) => {
    const message = mailbox.messages.find((m) => String(m.id) === request.params.id);
    if (!message) return sendPage(reply, 404, 'Finns inte', html`<h1>Meddelandet finns inte</h1><p><a href="/dev/mailbox">Till brevlådan</a></p>`);
    const linked = message.text.split(/(https?:\/\/\S+)/g).map((part, i) => (i % 2 === 1 ? html`<a href="${part}">${part}</a>` : part));
    return sendPage(
      reply,
      200,
      message.subject,
      html`<p><a href="/dev/mailbox">Till brevlådan</a></p>
<h1>${message.subject}</h1>
<p>Till: ${message.to.join(', ')}<br>Från: ${message.from}</p>
<pre style="white-space: pre-wrap">${linked}</pre>`,
    );
  });
}
