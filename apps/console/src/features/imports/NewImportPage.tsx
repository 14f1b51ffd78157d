import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, FileCheck2, Upload } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError, describeError } from '../../api/problem';
import { useSession } from '../../auth/session';
import { Field } from '../../ui/Field';
import { useFormat } from '../../ui/format';
import { NotAllowed } from '../../ui/NotAllowed';
import { usePageTitle } from '../../ui/page-title';
import { CsvPreviewError, decodeUtf8, previewCsv, type CsvPreview } from './csv-preview';
import { newIdempotencyKey } from '../../api/idempotency';
import {
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  guessMapping,
  mappingOf,
  mappingProblems,
  type CustomTarget,
  type Target,
} from './import-fields';
import { ImportReport, ON_DUPLICATE_LABELS } from './ImportReport';
import { startImport, useCustomTargets, type OnDuplicate } from './queries';
import './imports.css';

interface ChosenFile {
  name: string;
  size: number;
  csv: string;
  preview: CsvPreview;
}

const ON_DUPLICATE: OnDuplicate[] = ['skip', 'update', 'create'];

function MappingTable({
  file,
  targets,
  custom,
  errorOf,
  onChange,
}: {
  file: ChosenFile;
  targets: Target[];
  custom: CustomTarget[];
  errorOf: (column: string) => string | undefined;
  onChange: (index: number, target: Target) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table table-stack mapping-table">
        <caption className="visually-hidden">Columns of the file and the fields they fill</caption>
        <thead>
          <tr>
            <th scope="col">Column in the file</th>
            <th scope="col">First rows</th>
            <th scope="col">Customer field</th>
          </tr>
        </thead>
        <tbody>
          {file.preview.header.map((column, i) => {
            const id = `map-${i}`;
            const error = errorOf(column);
            const examples = file.preview.rows
              .map((r) => r[i] ?? '')
              .filter((v) => v.trim() !== '');
            return (
              <tr key={id}>
                <th scope="row" className="mapping-column">
                  {column || <span className="muted">(no name)</span>}
                </th>
                <td data-label="First rows" className="mapping-examples">
                  {examples.length > 0 ? examples.join(', ') : <span className="muted">empty</span>}
                </td>
                <td className={error ? 'field-invalid' : undefined}>
                  <label htmlFor={id} className="visually-hidden">
                    Field for column “{column}”
                  </label>
                  <select
                    id={id}
                    value={targets[i] ?? ''}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(e) => {
                      onChange(i, e.target.value as Target);
                    }}
                  >
                    <option value="">Do not import</option>
                    <optgroup label="Customer fields">
                      {IMPORT_FIELDS.map((f) => (
                        <option key={f} value={f}>
                          {IMPORT_FIELD_LABELS[f]}
                        </option>
                      ))}
                    </optgroup>
                    {custom.length > 0 && (
                      <optgroup label="Custom fields">
                        {custom.map((c) => (
                          <option key={c.name} value={`custom.${c.name}`}>
                            {c.label}
                            {c.required ? ' (required)' : ''}
                          </option>
                        ))}
                      </optgroup>
                    )}
                  </select>
                  {error && (
                    <p id={`${id}-error`} className="field-error">
                      {error}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Upload a CSV, map its columns, check it with a dry run, then import it. */
export function NewImportPage() {
  usePageTitle('New import');
  const { can } = useSession();
  const format = useFormat();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const allowed = can('createCustomerImport');
  const fieldsAllowed = allowed && can('listCustomFields');
  const fields = useCustomTargets(fieldsAllowed);
  // Guesses take the custom fields into account: the file waits for them.
  const fieldsLoading = fieldsAllowed && fields.isPending;
  const custom: CustomTarget[] = useMemo(() => fields.data ?? [], [fields.data]);
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [targets, setTargets] = useState<Target[]>([]);
  const [onDuplicate, setOnDuplicate] = useState<OnDuplicate>('skip');
  const [phoneRegion, setPhoneRegion] = useState('');
  const [tried, setTried] = useState(false);
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const report = useRef<HTMLElement>(null);

  const start = useMutation({
    mutationFn: ({ dryRun }: { dryRun: boolean }) => {
      if (file === null) throw new Error('Choose a file first.');
      return startImport({
        csv: file.csv,
        mapping: mappingOf(file.preview.header, targets),
        onDuplicate,
        dryRun,
        phoneRegion,
        idempotencyKey: newIdempotencyKey(),
      });
    },
    onSuccess: (job) => {
      void queryClient.invalidateQueries({ queryKey: ['customer-imports'] });
      if (job.dry_run) setDryRunId(job.id);
      else void navigate(`/imports/${job.id}`);
    },
  });

  useEffect(() => {
    if (dryRunId !== null) report.current?.focus();
  }, [dryRunId]);

  if (!allowed) return <NotAllowed what="import customers" />;

  const changed = () => {
    setDryRunId(null);
    start.reset();
  };

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    changed();
    setTried(false);
    if (chosen === undefined) {
      setFile(null);
      return;
    }
    try {
      const csv = decodeUtf8(await chosen.arrayBuffer());
      const preview = previewCsv(csv);
      setFile({ name: chosen.name, size: chosen.size, csv, preview });
      setTargets(guessMapping(preview.header, custom));
      setFileError(null);
    } catch (error) {
      setFile(null);
      setFileError(
        error instanceof CsvPreviewError ? error.message : 'The file could not be read.',
      );
    }
  };

  const problems = file === null ? [] : mappingProblems(file.preview.header, targets, custom);
  const apiErrors = start.error instanceof ApiError ? start.error.fieldErrors : [];
  const columnError = (column: string) =>
    [
      ...(tried ? problems.filter((p) => p.column === column).map((p) => p.message) : []),
      ...apiErrors.filter((e) => e.field === `mapping.${column}`).map((e) => e.message),
    ].join(' ') || undefined;
  const mappingErrors = [
    ...(tried ? problems.filter((p) => p.column === null).map((p) => p.message) : []),
    ...apiErrors.filter((e) => e.field === 'mapping').map((e) => e.message),
  ];
  const optionError = (field: string) =>
    apiErrors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;
  const known = (field: string) =>
    field === 'mapping' ||
    field === 'on_duplicate' ||
    field === 'phone_region' ||
    (field.startsWith('mapping.') && file?.preview.header.includes(field.slice(8)) === true);
  const unplaced = apiErrors.filter((e) => !known(e.field));

  const submit = (dryRun: boolean) => {
    setTried(true);
    if (file === null || problems.length > 0) return;
    start.mutate({ dryRun });
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <Link to="/imports" className="back-link">
        <ArrowLeft aria-hidden="true" size={16} /> All imports
      </Link>
      <header className="page-header">
        <h1 id="page-title">Import customers from a CSV file</h1>
      </header>

      <form
        className="card form import-form"
        aria-labelledby="file-heading"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit(true);
        }}
      >
        <h2 id="file-heading">1. The file</h2>
        <Field
          id="import-file"
          label="CSV file"
          error={fileError ?? undefined}
          hint={
            fieldsLoading
              ? 'Loading the custom fields…'
              : 'UTF-8, comma-separated, the first line naming the columns.'
          }
        >
          <input
            type="file"
            accept=".csv,text/csv"
            disabled={fieldsLoading}
            onChange={(e) => void choose(e)}
          />
        </Field>
        {fields.isError && (
          <p className="notice" role="status">
            The custom fields could not be loaded ({describeError(fields.error)}): only the core
            fields can be chosen.
          </p>
        )}
        {file !== null && (
          <p className="muted">
            <FileCheck2 aria-hidden="true" size={16} /> {file.name},{' '}
            {format.number(Math.ceil(file.size / 1024))} KB, {file.preview.header.length} columns
          </p>
        )}

        {file !== null && (
          <>
            <h2 id="mapping-heading">2. Which field each column fills</h2>
            <p className="field-hint" id="mapping-hint">
              Filled in from the column names; check each one. The first name must be mapped, and
              columns set to “Do not import” are left out.
            </p>
            {mappingErrors.length > 0 && (
              <ul className="field-error mapping-errors" aria-label="Problems with the mapping">
                {mappingErrors.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            )}
            <MappingTable
              file={file}
              targets={targets}
              custom={custom}
              errorOf={columnError}
              onChange={(i, target) => {
                changed();
                setTargets(targets.map((t, j) => (j === i ? target : t)));
              }}
            />

            <h2 id="options-heading">3. Options</h2>
            <div className="form-grid">
              <Field
                id="import-on-duplicate"
                label="When a row matches an existing customer"
                hint="Rows match by BookingX id, then email, then phone."
                error={optionError('on_duplicate')}
              >
                <select
                  value={onDuplicate}
                  onChange={(e) => {
                    changed();
                    const next = ON_DUPLICATE.find((o) => o === e.target.value);
                    if (next) setOnDuplicate(next);
                  }}
                >
                  {ON_DUPLICATE.map((o) => (
                    <option key={o} value={o}>
                      {ON_DUPLICATE_LABELS[o]}
                    </option>
                  ))}
                </select>
              </Field>
              <Field
                id="import-phone-region"
                label="Phone region"
                hint="Two letters, e.g. GB, for numbers without a country code. Empty: the server’s default."
                error={optionError('phone_region')}
              >
                <input
                  type="text"
                  value={phoneRegion}
                  maxLength={2}
                  autoComplete="off"
                  onChange={(e) => {
                    changed();
                    setPhoneRegion(e.target.value.toUpperCase().trim());
                  }}
                />
              </Field>
            </div>

            {start.isError && (
              <div className="state state-error" role="alert">
                <p className="state-title">The file was not accepted</p>
                <p>{describeError(start.error)}</p>
                {unplaced.length > 0 && (
                  <ul>
                    {unplaced.map((e) => (
                      <li key={`${e.field}-${e.code}`}>
                        {e.field}: {e.message}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
            {tried && problems.length > 0 && (
              <p className="field-error" role="alert">
                Fix the mapping first: {problems.length === 1 ? 'one problem' : 'some problems'}{' '}
                above.
              </p>
            )}
            <div className="form-actions">
              <button type="submit" className="btn" disabled={start.isPending}>
                <FileCheck2 aria-hidden="true" size={16} />
                {start.isPending && start.variables.dryRun ? 'Sending…' : 'Check with a dry run'}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={start.isPending}
                onClick={() => {
                  submit(false);
                }}
              >
                <Upload aria-hidden="true" size={16} />
                {start.isPending && !start.variables.dryRun ? 'Sending…' : 'Import customers'}
              </button>
            </div>
          </>
        )}
      </form>

      {dryRunId !== null && (
        <section ref={report} tabIndex={-1} className="import-dry-run" aria-label="Dry run result">
          <ImportReport id={dryRunId} custom={custom} />
        </section>
      )}
    </section>
  );
}
