import { reportFieldsFor } from '../../domain/report-rules';
import type { ActivityReport } from '../../domain/requests';
import { Select, TextArea, TextField, type Problems } from './fields';
import type { PageContext } from './layout';

// The fields of a report, the same for the coordinator's activity page and the contact's report
// page: the kinds this occurrence takes, each kind's fields with a hint of when it counts, and the
// report a correction replaces. Without script every field shows; only the chosen kind's count.

export interface ReportFieldsProps {
  context: PageContext;
  kinds: readonly ActivityReport['kind'][];
  /** What was typed, when the form comes back with problems. */
  form: Record<string, unknown>;
  problems: Problems;
  /** The reports a correction may replace, as [id, label]; none offers no correction. */
  correctable: readonly (readonly [string, string])[];
  /** The correction chosen when nothing was typed (the contact's latest report, on a closed activity). */
  correcting?: string;
  /** An undated activity's new date is its date, not a move. */
  undated: boolean;
}

/** A report field's name on the page: an undated activity's new date is its date, not a move. */
export const reportFieldLabel = (texts: PageContext['t']['occurrence'], field: string, undated: boolean): string | undefined =>
  field === 'newDueDate' && undated ? texts.labels.date : texts.labels[field];

export function ReportFields({ context, kinds, form, problems, correctable, correcting, undated }: ReportFieldsProps) {
  const texts = context.t.occurrence;
  const value = (field: string) => (typeof form[field] === 'string' ? (form[field] as string) : undefined);
  const label = (field: string) => reportFieldLabel(texts, field, undated)!;
  return (
    <>
      <Select
        name="kind"
        label={texts.labels.kind!}
        value={value('kind') ?? kinds[0]}
        options={texts.kinds.filter(([kind]) => (kinds as readonly string[]).includes(kind))}
        problems={problems}
      />
      {reportFieldsFor(kinds).map((field) =>
        field === 'description' || field === 'reason' ? (
          <TextArea
            key={field}
            name={field}
            label={label(field)}
            hint={texts.hints[field]}
            value={value(field)}
            rows={3}
            problems={problems}
          />
        ) : (
          <TextField
            key={field}
            name={field}
            label={label(field)}
            hint={texts.hints[field]}
            type={field === 'performedOn' || field === 'newDueDate' ? 'date' : field === 'link' ? 'url' : 'text'}
            value={value(field)}
            problems={problems}
          />
        ),
      )}
      {correctable.length > 0 && (
        <Select
          name="correctsReportId"
          label={texts.labels.correctsReportId!}
          value={value('correctsReportId') ?? correcting ?? ''}
          options={[['', texts.noCorrection], ...correctable]}
          problems={problems}
        />
      )}
    </>
  );
}
