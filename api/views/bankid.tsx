import { BANKID_SCRIPT_PATH } from '../pages/html';
import { Layout, type PageContext } from './layout';
import { AskedBy, inLanguage } from './link-pages';
import type { SigningPageData } from './signing';

// Signing with BankID: the choice of device on the confirmation page, then the order's page, which
// reloads itself while the order runs and says what BankID says (its recommended user messages).

export function BankIdChoice({ context, data }: { context: PageContext; data: SigningPageData }) {
  const texts = context.t.links.bankId;
  return (
    <form method="post" action={inLanguage(`${data.path}/bankid`, context)}>
      <p>{texts.confirmIntro}</p>
      {data.bankIdPinned && <p>{texts.pinned}</p>}
      <input type="hidden" name="documentSha256" value={data.version.sha256} />
      <div class="actions">
        <button type="submit" name="device" value="same" class="primary">
          {texts.sameDevice}
        </button>
        <button type="submit" name="device" value="other" class="primary">
          {texts.otherDevice}
        </button>
        <a class="button" href={inLanguage(data.path, context)}>
          {context.t.links.signing.back}
        </a>
      </div>
    </form>
  );
}

export interface BankIdOrderView {
  /** The signing link's own path, `/sign/<key>`. */
  path: string;
  orderId: string;
  /** Running: the order may still be cancelled. */
  running: boolean;
  /** The page reloads itself this often while something is still to come (0: it does not). */
  refreshSeconds: number;
  message: string;
  /** While the QR code may be scanned: the code as SVG, made on the server from this second's content. */
  qrSvg?: string;
  /** Same device: the link that starts the BankID app. */
  autostart?: string;
  /** Ended without a signature: the person may start again. */
  canRetry: boolean;
  sender: SigningPageData['sender'];
}

export function BankIdOrderPage({ context, view }: { context: PageContext; view: BankIdOrderView }) {
  const texts = context.t.links.bankId;
  const orderPath = `${view.path}/bankid/${view.orderId}`;
  const head = view.refreshSeconds > 0 && (
    <>
      <noscript>
        <meta http-equiv="refresh" content={String(view.refreshSeconds)} />
      </noscript>
      <script src={BANKID_SCRIPT_PATH} defer />
    </>
  );
  return (
    <Layout context={context} title={texts.title} head={head}>
      <h1>{texts.title}</h1>
      <div
        data-bankid-cancel={view.running ? `${orderPath}/avbryt` : undefined}
        data-bankid-refresh={view.refreshSeconds > 0 ? String(view.refreshSeconds) : undefined}
      >
        <p role="status" class="notice">
          {view.message}
        </p>
        {view.qrSvg && (
          <figure class="qr">
            <div role="img" aria-label={texts.qrAlt} dangerouslySetInnerHTML={{ __html: view.qrSvg }} />
            <figcaption>{texts.qrHint}</figcaption>
          </figure>
        )}
        {view.autostart && (
          <p>
            <a class="button primary" href={view.autostart}>
              {texts.openApp}
            </a>
          </p>
        )}
        {view.running && (
          <form method="post" action={inLanguage(`${orderPath}/avbryt`, context)}>
            <button type="submit" class="secondary">
              {texts.cancel}
            </button>
          </form>
        )}
        {view.canRetry && (
          <p>
            <a class="button primary" href={inLanguage(`${view.path}/bekrafta`, context)}>
              {texts.tryAgain}
            </a>
          </p>
        )}
      </div>
      <AskedBy context={context} sender={view.sender} />
    </Layout>
  );
}
