import type { FastifyReply } from 'fastify';

// A tiny HTML builder: every interpolated value is escaped unless it is already Html.

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escape(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
}

/** The pages' one stylesheet, served from this path so the CSP need not allow inline styles. */
export const STYLESHEET_PATH = '/assets/sida.css';
export const STYLESHEET = `
  body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0; color: #1a1a1a; background: #fff; overflow-wrap: break-word; }
  header, main, footer { max-width: 48rem; margin: 0 auto; padding: 1rem; }
  header { border-bottom: 1px solid #ccc; }
  a { color: #0b4f9c; overflow-wrap: anywhere; }
  a:focus, button:focus, textarea:focus, input:focus { outline: 3px solid #f5a623; outline-offset: 2px; }
  .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; }
  .hash { font-family: monospace; word-break: break-all; }
  .notice { border-left: 4px solid #0b4f9c; padding: .5rem 1rem; background: #eef4fb; }
  .error { border-left: 4px solid #b00020; padding: .5rem 1rem; background: #fdecee; }
  button { font-size: 1rem; padding: .5rem 1rem; margin-right: .5rem; }
  textarea { width: 100%; font: inherit; }
  table { border-collapse: collapse; max-width: 100%; } td, th { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; overflow-wrap: anywhere; }
  pre.wrap { white-space: pre-wrap; }
  header.site { display: flex; flex-wrap: wrap; gap: 1rem; justify-content: space-between; align-items: center; }
  header.site nav { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
  header a, footer a, button, input { min-height: 44px; }
  footer { border-top: 1px solid #ccc; }
  footer a { display: inline-flex; align-items: center; }
  header a { display: inline-flex; align-items: center; }
  form.inline { display: inline-flex; gap: .5rem; align-items: center; margin: 0; }
  button.primary { background: #0b4f9c; color: #fff; border: 2px solid #0b4f9c; border-radius: 4px; }
  input { font: inherit; padding: .25rem .5rem; max-width: 100%; }
  .field-problem { display: block; color: #b00020; font-weight: bold; }
  caption { text-align: left; font-weight: bold; padding: .5rem 0; }
  select { font: inherit; min-height: 44px; max-width: 100%; }
  select:focus, summary:focus, a.button:focus { outline: 3px solid #f5a623; outline-offset: 2px; }
  .field { margin: .75rem 0; }
  .field label, .field .hint, .field .field-problem { display: block; }
  .field input:not([type=checkbox]), .field textarea { width: 100%; box-sizing: border-box; }
  .field input.short { width: 8rem; }
  .hint { color: #4a4a4a; font-size: .95rem; }
  .invalid input, .invalid textarea, .invalid select { border: 2px solid #b00020; }
  fieldset { border: 1px solid #ccc; margin: 1rem 0; padding: .5rem 1rem; min-width: 0; }
  fieldset.row { border-left: 4px solid #0b4f9c; }
  label.choice { display: flex; align-items: center; gap: .5rem; min-height: 44px; }
  label.choice input { width: 24px; height: 24px; min-height: 24px; }
  summary { min-height: 44px; display: flex; align-items: center; cursor: pointer; font-weight: bold; }
  a.button { display: inline-flex; align-items: center; min-height: 44px; padding: 0 1rem; border: 2px solid #0b4f9c; border-radius: 4px; text-decoration: none; }
  a.button.primary { background: #0b4f9c; color: #fff; }
  button.secondary { background: #fff; color: #0b4f9c; border: 2px solid #0b4f9c; border-radius: 4px; }
  button.danger { background: #b00020; color: #fff; border: 2px solid #b00020; border-radius: 4px; }
  .actions { display: flex; flex-wrap: wrap; gap: .5rem; }
  ul.plain { list-style: none; padding: 0; }
  figure.chart { margin: 1rem 0; max-width: 100%; } figure.chart svg { display: block; max-width: 100%; height: auto; }
  aside.notice { margin-top: 1.5rem; } aside.notice h2 { margin-top: .25rem; }
  p > a:only-child, li > a:only-child, td > a:only-child, th > a:only-child, dt > a:only-child, dd > a:only-child { display: inline-flex; align-items: center; min-height: 44px; }
`;

export function page(options: { title: string; body: Html }): string {
  return html`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} – Medborgarlöften</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<a class="skip" href="#innehall">Hoppa till innehållet</a>
<header><a href="/">Medborgarlöften</a></header>
<main id="innehall">
${options.body}
</main>
</body>
</html>`.value;
}

/** A redirect to a page of this site, with the short page HTTP asks for (a link to follow). */
function redirect(reply: FastifyReply, status: 303 | 308, location: string) {
  reply.header('location', location);
  return sendPage(reply, status, 'Vidare', html`<p><a href="${location}">Gå vidare</a></p>`);
}

/** 303 See Other: where a form's result is shown. */
export const seeOther = (reply: FastifyReply, location: string) => redirect(reply, 303, location);

/** 308 Permanent Redirect: the page's own address, for one typed another way. */
export const movedTo = (reply: FastifyReply, location: string) => redirect(reply, 308, location);

/** Answers with a whole page in the common layout. */
export function sendPage(reply: FastifyReply, status: number, title: string, body: Html) {
  return reply.status(status).type('text/html; charset=utf-8').send(page({ title, body }));
}

export const BANKID_SCRIPT_PATH = '/assets/bankid.js';

/**
 * The BankID page's script: it reloads the page while the order runs (the page says how often; the
 * same refresh is in <noscript> for a browser without scripts) and, when the person leaves the page
 * any other way, tells the server, which cancels the order at BankID.
 */
export const BANKID_SCRIPT = `(function () {
  var page = document.querySelector('[data-bankid-refresh]');
  if (!page) return;
  var cancel = page.getAttribute('data-bankid-cancel');
  var staying = false;
  var stay = function () { staying = true; };
  document.addEventListener('click', function (event) { if (event.target.closest('a, button')) stay(); });
  document.addEventListener('submit', stay);
  var every = Number(page.getAttribute('data-bankid-refresh'));
  // Again and again: a reload that fails (the network gone a moment) leaves the page, which tries once more.
  if (every > 0) setInterval(function () { stay(); location.replace(location.href); }, every * 1000);
  addEventListener('pagehide', function () {
    if (!staying && cancel) navigator.sendBeacon(cancel);
  });
})();
`;
