import { eventually } from './eventually';
import { startApiTestbed, type ApiTestbed } from './http';

// The coordinator's web app as a browser without script drives it: cookies kept between requests,
// redirects not followed, forms posted with their CSRF token; and signing in from the e-mailed link.

/** A form's fields; a name may repeat (checkboxes). */
export type FormData = Record<string, string> | [string, string][];

/** A browser without script: keeps its cookies, follows no redirects by itself. */
export function appClient(baseUrl: string) {
  const cookies = new Map<string, string>();
  const setCookies: string[] = [];
  async function request(method: string, path: string, form?: FormData) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      setCookies.push(header);
      const [pair] = header.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text(), headers: response.headers };
  }
  return {
    cookies,
    setCookies,
    get: (path: string) => request('GET', path),
    post: (path: string, form: FormData) => request('POST', path, form),
  };
}

export const csrfOf = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;

/** Asks for a sign-in link for `email` and returns the link's path from the e-mail. */
export async function askForLink(testbed: ApiTestbed, b: AppClient, email: string, recipient = email.toLowerCase()): Promise<string> {
  const before = testbed.engine.mailbox.messages.length;
  const form = await b.get('/logga-in');
  const sent = await b.post('/logga-in', { email, _csrf: csrfOf(form.text) });
  expect(sent.status).toBe(200);
  const mail = await eventually(() => {
    const found = testbed.engine.mailbox.messages.slice(before).find((m) => m.to.includes(recipient));
    expect(found).toBeDefined();
    return found!;
  });
  return /http:\/\/localhost:\d+(\/logga-in\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
}

export async function signIn(testbed: ApiTestbed, b: AppClient, email: string) {
  const link = await askForLink(testbed, b, email);
  const confirm = await b.get(link);
  const done = await b.post(link, { _csrf: csrfOf(confirm.text) });
  expect(done).toMatchObject({ status: 303, location: '/app' });
  return link;
}

export type AppClient = ReturnType<typeof appClient>;

/** A promise's content as the editor's form posts it: a field per value, named by its path. */
export function formFieldsOf(value: unknown, prefix = ''): [string, string][] {
  if (Array.isArray(value)) {
    // A list of plain values is a group of checkboxes under one name (months, responsible parties).
    if (value.every((item) => typeof item !== 'object')) return value.map((item) => [prefix, String(item)]);
    return value.flatMap((item, i) => formFieldsOf(item, `${prefix}.${i}`));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]): [string, string][] => {
      const name = prefix ? `${prefix}.${key}` : key;
      if (key !== 'dateToBeSet') return formFieldsOf(item, name);
      const when = (item as { when?: string }).when;
      return [[name, 'on'], ...(when ? [[`${prefix}.dateToBeSetWhen`, when] as [string, string]] : [])];
    });
  }
  if (value === true) return [[prefix, 'on']];
  if (value === undefined || value === false) return [];
  return [[prefix, String(value)]];
}

/** A testbed with one coordinator already signed in to the web app, and that coordinator's browser. */
export async function startAppTestbed(
  email: string,
  server?: Parameters<typeof startApiTestbed>[2],
  engineOptions?: Parameters<typeof startApiTestbed>[3],
) {
  const testbed = await startApiTestbed(email, {}, server, engineOptions);
  const browser = appClient(testbed.api.baseUrl);
  await signIn(testbed, browser, email);
  return { testbed, browser };
}
