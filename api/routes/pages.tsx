import type { FastifyRequest } from 'fastify';
import type { LocalMailbox } from '../../platform/embedded/mailbox';
import { isLoopback } from '../../platform/net';
import { HttpError } from '../errors';
import { BANKID_SCRIPT, BANKID_SCRIPT_PATH, html, sendPage, STYLESHEET, STYLESHEET_PATH } from '../pages/html';
import type { Api } from '../routing';
import { publicContext } from '../session';
import { HomePage } from '../views/general';
import { sendView } from '../views/layout';
import type { ApiDeps } from '../server';

/** The start page, the stylesheet, the OpenAPI document, and (embedded mode only) the local mailbox. */
export function pageRoutes(app: Api, deps: ApiDeps) {
  app.get('/', { config: { page: true }, schema: { hide: true } }, async (request, reply) =>
    sendView(reply, 200, <HomePage context={publicContext(request)} mailbox={deps.mailbox !== undefined} />),
  );

  // The pages' own files, from memory: counting them against a limit, or logging every answer,
  // would cost more than sending them (a failure is still logged).
  const ownFile = { schema: { hide: true }, config: { rateLimit: false }, logLevel: 'warn' } as const;
  app.get(STYLESHEET_PATH, ownFile, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );

  app.get(BANKID_SCRIPT_PATH, ownFile, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(BANKID_SCRIPT),
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const mailbox: LocalMailbox | undefined = deps.mailbox;
  if (!mailbox) return;

  // Every signing link the service has sent is readable here: this machine only, whatever HOST
  // says, and not through a proxy on this machine (which would make every caller look local).
  const localOnly = async (request: FastifyRequest) => {
    const proxied = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
    if (proxied || !isLoopback(request.socket.remoteAddress)) {
      throw new HttpError('FORBIDDEN', 'Den lokala brevlådan visas bara på datorn där tjänsten körs.');
    }
  };
  const mailboxRoute = { config: { page: true, link: true }, schema: { hide: true }, onRequest: localOnly } as const;

  app.get('/dev/mailbox', mailboxRoute, async (_request, reply) =>
    sendPage(
      reply,
      200,
      'Lokal brevlåda',
      html`<h1>Lokal brevlåda</h1>
<p>All e-post som tjänsten skickar hamnar här när ingen SMTP_URL är satt. Nyast överst.</p>
${
  mailbox.messages.length === 0
    ? html`<p>Inga meddelanden än.</p>`
    : html`<table><thead><tr><th>Tid</th><th>Till</th><th>Ämne</th></tr></thead><tbody>
${[...mailbox.messages]
  .reverse()
  .map(
    (m) =>
      html`<tr><td>${m.receivedAt.toISOString().slice(0, 19).replace('T', ' ')}</td><td>${m.to.join(', ')}</td><td><a href="/dev/mailbox/${m.id}">${m.subject}</a></td></tr>`,
  )}
</tbody></table>`
}`,
    ),
  );

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id', mailboxRoute, async (request, reply) => {
    const message = mailbox.messages.find((m) => String(m.id) === request.params.id);
    if (!message)
      return sendPage(reply, 404, 'Finns inte', html`<h1>Meddelandet finns inte</h1><p><a href="/dev/mailbox">Till brevlådan</a></p>`);
    const linked = message.text.split(/(https?:\/\/\S+)/g).map((part, i) => (i % 2 === 1 ? html`<a href="${part}">${part}</a>` : part));
    return sendPage(
      reply,
      200,
      message.subject,
      html`<p><a href="/dev/mailbox">Till brevlådan</a></p>
<h1>${message.subject}</h1>
<p>Till: ${message.to.join(', ')}<br>Från: ${message.from}</p>
<pre class="wrap">${linked}</pre>`,
    );
  });
}
