import { LEGAL_BASES, PERSONAL_DATA } from '../../domain/personal-data';
import { Layout, type PageContext } from './layout';

// The privacy notice (/integritet): who is responsible, what is kept and for how long (from the
// inventory, so the page and the retention code say the same), the person's rights and how to use
// them. Linked from every page's and every e-mail's footer.

export interface Controller {
  id: string;
  name: string;
  /** The organisation's own limits, where it has shortened the installation's. */
  shortened?: { technicalDays: number; addressMonths: number };
  contacts: { name: string; email: string; phone: string | null }[];
}

export function PrivacyNotice({ context, controllers }: { context: PageContext; controllers: Controller[] }) {
  const { t } = context;
  const texts = t.privacy;
  const lang = t.lang;
  return (
    <Layout context={context} title={texts.title}>
      <h1>{texts.title}</h1>
      <p>{texts.intro}</p>
      <h2>{texts.controllerTitle}</h2>
      {controllers.length === 0 ? (
        <p>{texts.noOrganisations}</p>
      ) : (
        <>
          <p>{texts.controllerIntro}</p>
          <ul>
            {controllers.map((controller) => (
              <li key={controller.id}>
                <strong>{controller.name}</strong>:{' '}
                {controller.contacts.map((contact) => [contact.name, contact.email, contact.phone].filter(Boolean).join(', ')).join('; ')}
                {controller.shortened && <> {texts.shortened(controller.shortened.technicalDays, controller.shortened.addressMonths)}</>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{texts.inventoryTitle}</h2>
      <table>
        <caption>{texts.inventoryTitle}</caption>
        <thead>
          <tr>
            <th scope="col">{texts.columns.what}</th>
            <th scope="col">{texts.columns.why}</th>
            <th scope="col">{texts.columns.howLong}</th>
            <th scope="col">{texts.columns.after}</th>
          </tr>
        </thead>
        <tbody>
          {PERSONAL_DATA.map((datum) => (
            <tr key={`${datum.table}.${datum.field}`}>
              <td>{datum.what[lang]}</td>
              <td>{LEGAL_BASES[datum.basis][lang]}</td>
              <td>{datum.keptFor[lang]}</td>
              <td>{datum.after[lang]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>{texts.temporal}</p>
      <h2>{texts.rightsTitle}</h2>
      <ul>
        {texts.rights.map((right) => (
          <li key={right}>{right}</li>
        ))}
      </ul>
      <h2>{texts.howTitle}</h2>
      <p>{texts.how}</p>
    </Layout>
  );
}
