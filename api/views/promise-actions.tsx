import type { PromiseStatus } from '../../domain/lifecycle';
import { isInYear } from '../../domain/lifecycle';
import type { FieldProblem } from '../../domain/problems';
import { problemsByField, Select, TextArea, TextField, type Problems } from './fields';
import { CsrfField, type PageContext } from './layout';

// What the coordinator can do to a promise in its state, each as a small form that posts to the
// web app's own address for it; a refusal comes back beside the form that caused it.

/** A refused action: which form, why, and its fields' problems. */
export interface Refusal {
  form: 'submit' | 'resume' | 'address' | 'deadline' | 'renew' | 'withdraw' | 'resend' | 'pin' | 'review';
  /** Why, when it is not (only) the fields' problems. */
  message?: string;
  problems: FieldProblem[];
}

export interface ActionsData {
  id: string;
  status: PromiseStatus;
  needsAttention: boolean;
  /** The addresses in the current version, with whose they are. */
  addresses: { email: string; label: string }[];
  /** While signing: the open round's last day to sign, as it stands. */
  signingDeadline?: string;
  /** The signatories who sign with BankID, and the last four digits of the number each is locked to. */
  bankIdSignatories: { key: string; name: string; pinned?: string }[];
  /** BankID signatures held because BankID's name was not the signatory's: the coordinator decides. */
  heldSignatures: { orderId: string; signatory: string; bankIdName: string; completedAt: string }[];
  refusal?: Refusal;
}

function RefusalOf({ context, data, form }: { context: PageContext; data: ActionsData; form: Refusal['form'] }) {
  if (data.refusal?.form !== form) return null;
  return (
    <p class="error" role="alert">
      {data.refusal.message ?? context.t.problemsIntro}
    </p>
  );
}

const problemsOf = (context: PageContext, data: ActionsData, form: Refusal['form']): Problems =>
  problemsByField(context.t, data.refusal?.form === form ? data.refusal.problems : []);

function PostButton({ context, action, label, primary }: { context: PageContext; action: string; label: string; primary?: boolean }) {
  return (
    <form method="post" action={action} class="inline">
      <CsrfField token={context.csrfToken} />
      <button type="submit" class={primary ? 'primary' : 'secondary'}>
        {label}
      </button>
    </form>
  );
}

export function PromiseActions({ context, data }: { context: PageContext; data: ActionsData }) {
  const texts = context.t.actions;
  const base = `/app/loften/${data.id}`;
  const { status } = data;
  const ended = status === 'CLOSED' || status === 'WITHDRAWN';
  if (ended) return null;
  // The forms this state offers; the page below shows exactly these.
  const shown = new Set<Refusal['form']>(['withdraw']);
  if (status === 'DRAFT') shown.add('submit');
  if (data.needsAttention) shown.add('resume');
  if (data.addresses.length > 0) shown.add('address');
  if (isInYear(status)) shown.add('renew');
  if (status === 'SIGNING' && data.signingDeadline) shown.add('deadline');
  if (data.bankIdSignatories.length > 0) shown.add('pin');
  if (data.heldSignatures.length > 0) shown.add('review');
  const addressProblems = problemsOf(context, data, 'address');
  const deadlineProblems = problemsOf(context, data, 'deadline');
  const withdrawProblems = problemsOf(context, data, 'withdraw');
  const pinProblems = problemsOf(context, data, 'pin');
  return (
    <section aria-labelledby="atgarder">
      <h2 id="atgarder">{texts.title}</h2>
      {/* A form posted from a page that no longer offers it (an old tab): its refusal goes first. */}
      {data.refusal && !shown.has(data.refusal.form) && (
        <p class="error" role="alert">
          {data.refusal.message ?? context.t.problemsIntro}
        </p>
      )}
      {shown.has('submit') && (
        <>
          <p>
            <a href={`${base}/redigera`} class="button">
              {texts.edit}
            </a>
          </p>
          <RefusalOf context={context} data={data} form="submit" />
          <p>{texts.submitHint}</p>
          <PostButton context={context} action={`${base}/skicka`} label={texts.submit} primary />
        </>
      )}
      {status === 'SIGNING' && (
        <p>
          <a href={`${base}/redigera`} class="button">
            {texts.reviseDuringSigning}
          </a>
        </p>
      )}
      {shown.has('deadline') && (
        <form method="post" action={`${base}/sista-dag`} aria-labelledby="sistadagrubrik">
          <h3 id="sistadagrubrik">{texts.deadlineTitle}</h3>
          <p>{texts.deadlineIntro(data.signingDeadline!)}</p>
          <RefusalOf context={context} data={data} form="deadline" />
          <CsrfField token={context.csrfToken} />
          <TextField name="deadline" label={texts.newDeadline} type="date" problems={deadlineProblems} />
          <button type="submit" class="secondary">
            {texts.moveDeadline}
          </button>
        </form>
      )}
      {shown.has('resume') && (
        <>
          <RefusalOf context={context} data={data} form="resume" />
          <PostButton context={context} action={`${base}/ateruppta`} label={texts.resume} primary />
        </>
      )}
      {shown.has('address') && (
        <form method="post" action={`${base}/adress`} aria-labelledby="adressrubrik">
          <h3 id="adressrubrik">{texts.addressTitle}</h3>
          <p>{texts.addressIntro}</p>
          <RefusalOf context={context} data={data} form="address" />
          <CsrfField token={context.csrfToken} />
          <Select
            name="previous"
            label={texts.previous}
            options={data.addresses.map((a) => [a.email, `${a.label}: ${a.email}`] as const)}
            problems={addressProblems}
          />
          <TextField name="email" label={texts.email} type="email" problems={addressProblems} />
          <button type="submit" class="secondary">
            {texts.correct}
          </button>
        </form>
      )}
      {shown.has('review') && (
        <section aria-labelledby="granskarubrik">
          <h3 id="granskarubrik">{texts.reviewTitle}</h3>
          <p>{texts.reviewIntro}</p>
          <RefusalOf context={context} data={data} form="review" />
          <ul>
            {data.heldSignatures.map((held) => (
              <li key={held.orderId}>
                {texts.heldSignature(held.signatory, held.bankIdName, held.completedAt)}
                {(['ja', 'nej'] as const).map((accept) => (
                  <form key={accept} method="post" action={`${base}/bankid-granska`} class="inline">
                    <CsrfField token={context.csrfToken} />
                    <input type="hidden" name="orderId" value={held.orderId} />
                    <input type="hidden" name="accept" value={accept} />
                    <button type="submit" class={accept === 'ja' ? 'primary' : 'secondary'}>
                      {accept === 'ja' ? texts.acceptSignature : texts.refuseSignature}
                    </button>
                  </form>
                ))}
              </li>
            ))}
          </ul>
        </section>
      )}
      {shown.has('pin') && (
        <section aria-labelledby="bankidrubrik">
          <h3 id="bankidrubrik">{texts.pinTitle}</h3>
          <p>{texts.pinIntro}</p>
          <RefusalOf context={context} data={data} form="pin" />
          <ul>
            {data.bankIdSignatories.map((s) => (
              <li key={s.key}>
                {s.pinned ? texts.pinnedTo(s.name, s.pinned) : texts.notPinned(s.name)}
                {s.pinned && (
                  <form method="post" action={`${base}/personnummer`} class="inline">
                    <CsrfField token={context.csrfToken} />
                    <input type="hidden" name="signatoryKey" value={s.key} />
                    <input type="hidden" name="remove" value="ja" />
                    <button type="submit" class="secondary">
                      {texts.unpin}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
          <form method="post" action={`${base}/personnummer`}>
            <CsrfField token={context.csrfToken} />
            <Select
              name="signatoryKey"
              label={texts.pinSignatory}
              options={data.bankIdSignatories.map((s) => [s.key, s.name] as const)}
              problems={pinProblems}
            />
            <TextField name="personalNumber" label={texts.personalNumber} hint={texts.personalNumberHint} problems={pinProblems} />
            <button type="submit" class="secondary">
              {texts.pin}
            </button>
          </form>
        </section>
      )}
      {shown.has('renew') && (
        <>
          <h3>{texts.renewTitle}</h3>
          <p>{texts.renewIntro}</p>
          <RefusalOf context={context} data={data} form="renew" />
          <PostButton context={context} action={`${base}/fornya`} label={texts.renew} />
        </>
      )}
      <details open={data.refusal?.form === 'withdraw'}>
        <summary>{texts.withdrawTitle}</summary>
        <form method="post" action={`${base}/aterkalla`}>
          <p>{texts.withdrawIntro}</p>
          <RefusalOf context={context} data={data} form="withdraw" />
          <CsrfField token={context.csrfToken} />
          <TextArea name="reason" label={texts.reason} rows={3} problems={withdrawProblems} />
          <button type="submit" class="danger">
            {texts.withdraw}
          </button>
        </form>
      </details>
    </section>
  );
}
