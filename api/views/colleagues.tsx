import type { FieldProblem } from '../../domain/problems';
import { Select, TextField, problemsByField } from './fields';
import { CsrfField, Layout, type PageContext, ProblemSummary, RefusalNotice, StatusNotice } from './layout';

// The coordinator's colleagues: the coordinators of each organisation the coordinator belongs to,
// a form to invite one more (an e-mailed sign-in link), and a way to take back an invitation.

export interface ColleagueRow {
  coordinatorId: string;
  name: string;
  email: string;
  since: string;
  /** Who invited them from the web app; absent for those the operator added. */
  invitedBy?: string;
  /** Whether the one looking may take the invitation back (one made in the web app, not their own). */
  removable: boolean;
}

export interface OrganisationColleagues {
  id: string;
  name: string;
  members: ColleagueRow[];
}

export interface ColleaguesData {
  organisations: OrganisationColleagues[];
  /** What was just done, said in a status message. */
  notice?: string;
  /** An invitation refused: the form as sent and its problems. */
  form?: Record<string, unknown>;
  problems?: FieldProblem[];
  /** A refusal not tied to one field (the address is already a colleague's, say). */
  refusal?: string;
}

export function Colleagues({ context, data }: { context: PageContext; data: ColleaguesData }) {
  const { t } = context;
  const texts = t.colleagues;
  const problems = problemsByField(context.t, data.problems ?? []);
  const labels: Record<string, string> = { organisationId: texts.organisation, name: texts.name, email: texts.email, phone: texts.phone };
  return (
    <Layout context={context} title={texts.title}>
      <h1>{texts.title}</h1>
      <StatusNotice text={data.notice} />
      <RefusalNotice text={data.refusal} />
      <ProblemSummary t={t} problems={data.problems ?? []} labels={labels} />
      <p>{texts.intro}</p>
      {data.organisations.length === 0 ? (
        <p>{texts.noOrganisation}</p>
      ) : (
        <form method="post" action="/app/kollegor" aria-labelledby="bjud-in">
          <h2 id="bjud-in">{texts.inviteTitle}</h2>
          <CsrfField token={context.csrfToken} />
          <Select
            name="organisationId"
            label={texts.organisation}
            options={data.organisations.map((o) => [o.id, o.name] as const)}
            value={data.form?.organisationId}
            problems={problems}
          />
          <TextField name="name" label={texts.name} value={data.form?.name} problems={problems} />
          <TextField name="email" label={texts.email} type="email" value={data.form?.email} problems={problems} />
          <TextField name="phone" label={texts.phone} hint={texts.phoneHint} value={data.form?.phone} problems={problems} />
          <p>
            <button type="submit" class="primary">
              {texts.invite}
            </button>
          </p>
        </form>
      )}
      {data.organisations.map((organisation) => (
        <table key={organisation.id}>
          <caption>{texts.caption(organisation.name)}</caption>
          <thead>
            <tr>
              <th scope="col">{texts.name}</th>
              <th scope="col">{texts.email}</th>
              <th scope="col">{texts.since}</th>
              <th scope="col">{texts.invitedBy}</th>
            </tr>
          </thead>
          <tbody>
            {organisation.members.map((member) => (
              <tr key={member.coordinatorId}>
                <td>{member.name}</td>
                <td>{member.email}</td>
                <td>{member.since}</td>
                <td>
                  {member.invitedBy ?? texts.addedByOperator}
                  {member.removable && (
                    <form method="post" action={`/app/kollegor/${organisation.id}/${member.coordinatorId}/ta-bort`} class="inline">
                      <CsrfField token={context.csrfToken} /> <button type="submit">{texts.remove(member.name)}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </Layout>
  );
}
