import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Tag as TagIcon, UserRound, Milestone, X } from 'lucide-react';
import { useState, type ReactNode, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError, fieldErrorText, unplacedFieldErrors } from '../../api/problem';
import { useSession } from '../../auth/session';
import { Dialog } from '../../ui/Dialog';
import { Field } from '../../ui/Field';
import { MemberPicker } from '../pickers/MemberPicker';
import {
  confirmButtonOf,
  confirmationOf,
  customers,
  resultOf,
  runBulk,
  useMatchCount,
  type BulkAction,
} from './bulk';
import type { StageOption } from './CustomerFilters';
import { filterExpression, type ListFilters } from './list-query';
import {
  MAX_BULK,
  affected,
  offersMatching,
  targetOf,
  type BulkTarget,
  type Selection,
} from './selection';

type Kind = BulkAction['kind'];

function useTagCatalog(enabled: boolean) {
  return useQuery({
    queryKey: ['tags', 'catalog'],
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/crm/tags', { params: { query: { limit: 200 } }, signal }))).data,
  });
}

/**
 * The bar above the list while rows are selected: how many, "all matching the filter", and
 * tag, stage and owner for them, each confirmed with the number it affects.
 */
export function BulkBar({
  selection,
  filters,
  pageIds,
  morePages,
  stages,
  onSelect,
  onDone,
}: {
  selection: Selection;
  filters: ListFilters;
  pageIds: string[];
  morePages: boolean;
  stages: StageOption[];
  onSelect: (next: Selection) => void;
  onDone: (message: string) => void;
}) {
  const { can } = useSession();
  const [open, setOpen] = useState<Kind | null>(null);
  const matches = useMatchCount(selection.kind === 'matching' ? filterExpression(filters) : null);
  const { count, tooMany } = affected(selection, matches.data ?? null);
  const target = targetOf(selection, filters);
  const ready = target !== null && count !== null && count > 0 && !tooMany;

  let summary: string;
  if (selection.kind === 'rows') {
    summary = `${customers(selection.ids.length)} selected`;
  } else if (matches.isPending) {
    summary = 'Counting the customers that match the filter…';
  } else if (matches.isError) {
    summary = `The matching customers could not be counted: ${describeError(matches.error)}`;
  } else {
    summary = matches.data.more
      ? `More than ${String(MAX_BULK)} customers match the filter`
      : `All ${customers(matches.data.count)} that match the filter are selected`;
  }

  const button = (kind: Kind, allowed: boolean, icon: ReactNode, label: string) =>
    allowed && (
      <button
        type="button"
        className="btn"
        disabled={!ready}
        onClick={() => {
          setOpen(kind);
        }}
      >
        {icon} {label}
      </button>
    );

  return (
    <section className="bulk-bar" aria-label="Selected customers">
      <p className="bulk-summary" role="status">
        {summary}
      </p>
      {tooMany && (
        <p className="field-error">
          One action changes at most {MAX_BULK} customers: narrow the filter or select fewer.
        </p>
      )}
      {offersMatching(selection, filters, pageIds, morePages) && (
        <button
          type="button"
          className="btn btn-link"
          onClick={() => {
            onSelect({ kind: 'matching' });
          }}
        >
          Select all customers that match the filter
        </button>
      )}
      <div className="bulk-actions">
        {button('tag', can('bulkTagCustomers'), <TagIcon aria-hidden="true" size={16} />, 'Tag…')}
        {button(
          'stage',
          can('bulkSetStage'),
          <Milestone aria-hidden="true" size={16} />,
          'Set stage…',
        )}
        {button(
          'assign',
          can('bulkAssign'),
          <UserRound aria-hidden="true" size={16} />,
          'Assign owner…',
        )}
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => {
            onSelect({ kind: 'rows', ids: [] });
          }}
        >
          <X aria-hidden="true" size={16} /> Clear selection
        </button>
      </div>
      {open !== null && target !== null && count !== null && (
        <BulkDialog
          kind={open}
          target={target}
          count={count}
          stages={stages}
          onClose={() => {
            setOpen(null);
          }}
          onDone={(message) => {
            setOpen(null);
            onSelect({ kind: 'rows', ids: [] });
            onDone(message);
          }}
        />
      )}
    </section>
  );
}

const TITLES: Record<Kind, string> = {
  tag: 'Tag the selected customers',
  stage: 'Set the stage of the selected customers',
  assign: 'Assign the selected customers',
};

function BulkDialog({
  kind,
  target,
  count,
  stages,
  onClose,
  onDone,
}: {
  kind: Kind;
  target: BulkTarget;
  count: number;
  stages: StageOption[];
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const tags = useTagCatalog(kind === 'tag');
  const [tag, setTag] = useState('');
  const [mode, setMode] = useState<'add' | 'remove'>('add');
  const [stage, setStage] = useState('');
  const [owner, setOwner] = useState<{ id: string; name: string } | null>(null);
  const [unassign, setUnassign] = useState(false);

  let action: BulkAction | null = null;
  if (kind === 'tag' && tag !== '') action = { kind, mode, tag };
  if (kind === 'stage' && stage !== '') {
    action = { kind, stage, label: stages.find((s) => s.key === stage)?.label ?? stage };
  }
  if (kind === 'assign' && (owner !== null || unassign)) {
    action = { kind, owner: unassign ? null : owner };
  }

  const run = useMutation({
    mutationFn: (chosen: BulkAction) => runBulk(chosen, target, idempotencyKey),
    onSuccess: (result, chosen) => {
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void queryClient.invalidateQueries({ queryKey: ['tags'] });
      onDone(resultOf(chosen, result));
    },
  });
  const errorOf = (...fields: string[]) => fieldErrorText(run.error, ...fields);
  const unplaced = unplacedFieldErrors(run.error, ['add', 'remove', 'customer_stage', 'owner_id']);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (action) run.mutate(action);
  };

  return (
    <Dialog title={TITLES[kind]} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        {kind === 'tag' &&
          (tags.isPending ? (
            <p className="muted">Loading the tags…</p>
          ) : tags.isError ? (
            <p className="field-error">The tags could not be loaded: {describeError(tags.error)}</p>
          ) : tags.data.length === 0 ? (
            <p>The tag catalog is empty: a tag must be in the catalog before customers carry it.</p>
          ) : (
            <>
              <fieldset className="radio-group">
                <legend>Change</legend>
                <label>
                  <input
                    type="radio"
                    name="bulk-tag-mode"
                    checked={mode === 'add'}
                    onChange={() => {
                      setMode('add');
                    }}
                  />
                  Add the tag
                </label>
                <label>
                  <input
                    type="radio"
                    name="bulk-tag-mode"
                    checked={mode === 'remove'}
                    onChange={() => {
                      setMode('remove');
                    }}
                  />
                  Remove the tag
                </label>
              </fieldset>
              <Field id="bulk-tag" label="Tag" error={errorOf('add', 'remove')}>
                <select
                  value={tag}
                  onChange={(e) => {
                    setTag(e.target.value);
                  }}
                >
                  <option value="">Choose a tag</option>
                  {tags.data.map((t) => (
                    <option key={t.id} value={t.name}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </Field>
            </>
          ))}
        {kind === 'stage' && (
          <Field id="bulk-stage" label="Stage" error={errorOf('customer_stage')}>
            <select
              value={stage}
              onChange={(e) => {
                setStage(e.target.value);
              }}
            >
              <option value="">Choose a stage</option>
              {stages.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        {kind === 'assign' && (
          <>
            {owner && !unassign && (
              <p>
                <span className="muted">New owner: </span>
                {owner.name}
              </p>
            )}
            {!unassign && (
              <MemberPicker
                id="bulk-owner"
                label={owner ? 'Choose another owner' : 'Owner'}
                error={errorOf('owner_id')}
                onPick={(member) => {
                  setOwner({ id: member.id, name: member.name });
                }}
              />
            )}
            <div className="checkbox">
              <input
                id="bulk-unassign"
                type="checkbox"
                checked={unassign}
                onChange={(e) => {
                  setUnassign(e.target.checked);
                }}
              />
              <label htmlFor="bulk-unassign">Leave them without an owner</label>
            </div>
          </>
        )}
        {action && <p className="confirm-question">{confirmationOf(action, count)}</p>}
        {run.isError && (
          <div className="state state-error" role="alert">
            <p className="state-title">Nothing was changed</p>
            <p>{describeError(run.error)}</p>
            {unplaced.length > 0 && (
              <ul>
                {unplaced.map((e) => (
                  <li key={`${e.field}-${e.code}`}>{e.message}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={action === null || run.isPending}
          >
            {run.isPending
              ? 'Working…'
              : action
                ? confirmButtonOf(action, count)
                : `Apply to ${customers(count)}`}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
