import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { SaveFailed } from './SaveFailed';
import { Pencil, Plus, Search, Trash2 } from 'lucide-react';
import { useState, type SubmitEvent } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/problem';
import type { Tag, UpdateTag } from '../../api/types';
import { useSession } from '../../auth/session';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field } from '../../ui/Field';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { usePageTitle } from '../../ui/page-title';
import { useCursorTrail } from '../../ui/cursor-trail';
import { errorsFor } from './form-errors';
import { Pager } from '../../ui/Pager';

const TAGS_KEY = ['tags'] as const;
const PAGE_SIZE = 50;
const DEFAULT_COLOUR = '#808080';

interface TagDraft {
  name: string;
  colour: string;
  description: string;
}

/** A hex colour typed in, with a picker beside it that sets the same value. */
function ColourField({
  id,
  value,
  error,
  onChange,
}: {
  id: string;
  value: string;
  error: string | undefined;
  onChange: (colour: string) => void;
}) {
  const valid = /^#[0-9a-fA-F]{6}$/.test(value);
  return (
    <div className="colour-input">
      <input
        type="color"
        aria-label="Pick the colour"
        title="Pick the colour"
        value={valid ? value.toLowerCase() : DEFAULT_COLOUR}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
      <Field id={id} label="Colour" hint="A hex colour such as #1f77b4" error={error}>
        <input
          type="text"
          value={value}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      </Field>
    </div>
  );
}

function AddTagForm({ onDone }: { onDone: (tag: Tag) => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<TagDraft>({
    name: '',
    colour: DEFAULT_COLOUR,
    description: '',
  });
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/crm/tags', {
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          body: {
            name: draft.name.trim(),
            colour: draft.colour.trim(),
            ...(draft.description.trim() === '' ? {} : { description: draft.description.trim() }),
          },
        }),
      ),
    onSuccess: (tag) => {
      void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
      setDraft({ name: '', colour: DEFAULT_COLOUR, description: '' });
      setIdempotencyKey(crypto.randomUUID());
      onDone(tag);
    },
  });
  const errorOf = errorsFor(create.error);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="add-tag-heading" noValidate>
      <h2 id="add-tag-heading">Add a tag</h2>
      {create.isError && (
        <div className="state state-error" role="alert">
          <p className="state-title">The tag was not added</p>
          <p>{describeError(create.error)}</p>
        </div>
      )}
      <div className="form-grid">
        <Field id="new-tag-name" label="Name" error={errorOf('name')}>
          <input
            type="text"
            value={draft.name}
            autoComplete="off"
            onChange={(e) => {
              setDraft({ ...draft, name: e.target.value });
            }}
          />
        </Field>
        <ColourField
          id="new-tag-colour"
          value={draft.colour}
          error={errorOf('colour')}
          onChange={(colour) => {
            setDraft({ ...draft, colour });
          }}
        />
        <Field id="new-tag-description" label="Description" error={errorOf('description')}>
          <input
            type="text"
            value={draft.description}
            autoComplete="off"
            onChange={(e) => {
              setDraft({ ...draft, description: e.target.value });
            }}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          <Plus aria-hidden="true" size={16} /> {create.isPending ? 'Adding…' : 'Add tag'}
        </button>
      </div>
    </form>
  );
}

function EditTagRow({ tag, onDone }: { tag: Tag; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<TagDraft>({
    name: tag.name,
    colour: tag.colour,
    description: tag.description ?? '',
  });
  const changes: UpdateTag = {};
  if (draft.name.trim() !== tag.name) changes.name = draft.name.trim();
  if (draft.colour.trim().toLowerCase() !== tag.colour.toLowerCase()) {
    changes.colour = draft.colour.trim();
  }
  const description = draft.description.trim() === '' ? null : draft.description.trim();
  if (description !== tag.description) changes.description = description;
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/crm/tags/{tag_id}', {
          params: { path: { tag_id: tag.id }, header: { 'If-Match': `"${tag.version}"` } },
          body: changes,
        }),
      ),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
      // A rename shows on every customer that carries the tag.
      if (changes.name !== undefined) {
        void queryClient.invalidateQueries({ queryKey: ['customers'] });
        void queryClient.invalidateQueries({ queryKey: ['customer'] });
      }
      onDone(`${saved.name} is saved.`);
    },
  });
  const errorOf = errorsFor(save.error);
  const id = `tag-${tag.id}`;
  return (
    <tr className="inline-form">
      <td colSpan={4}>
        <form
          aria-label={`Edit tag ${tag.name}`}
          onSubmit={(event) => {
            event.preventDefault();
            if (Object.keys(changes).length === 0) onDone('');
            else save.mutate();
          }}
          noValidate
        >
          {save.isError && <SaveFailed error={save.error} what="tag" />}
          <div className="form-grid">
            <Field id={`${id}-name`} label="Name" error={errorOf('name')}>
              <input
                type="text"
                value={draft.name}
                autoComplete="off"
                onChange={(e) => {
                  setDraft({ ...draft, name: e.target.value });
                }}
              />
            </Field>
            <ColourField
              id={`${id}-colour`}
              value={draft.colour}
              error={errorOf('colour')}
              onChange={(colour) => {
                setDraft({ ...draft, colour });
              }}
            />
            <Field id={`${id}-description`} label="Description" error={errorOf('description')}>
              <input
                type="text"
                value={draft.description}
                autoComplete="off"
                onChange={(e) => {
                  setDraft({ ...draft, description: e.target.value });
                }}
              />
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save tag'}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
                onDone('');
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      </td>
    </tr>
  );
}

/** The tag catalog: names, colours and how many customers carry each. */
export function TagsPage() {
  usePageTitle('Tags');
  const { can } = useSession();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const trail = useCursorTrail(q);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Tag | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const tags = useQuery({
    queryKey: [...TAGS_KEY, q, trail.cursor],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/crm/tags', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(q === '' ? {} : { q }),
              ...(trail.cursor === undefined ? {} : { cursor: trail.cursor }),
            },
          },
          signal,
        }),
      ),
  });
  const remove = useMutation({
    mutationFn: (tag: Tag) =>
      unwrap(
        api.DELETE('/crm/tags/{tag_id}', {
          params: { path: { tag_id: tag.id }, header: { 'If-Match': `"${tag.version}"` } },
        }),
      ),
    onSuccess: (_nothing, tag) => {
      setDeleting(null);
      setAnnouncement(`${tag.name} was deleted.`);
      void queryClient.invalidateQueries({ queryKey: TAGS_KEY });
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
      void queryClient.invalidateQueries({ queryKey: ['customer'] });
    },
  });
  const canEdit = can('updateTag');
  const canDelete = can('deleteTag');
  const rows = tags.data?.data ?? [];

  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title">Tags</h1>
          <p className="muted">Labels staff put on customers, each with its colour.</p>
        </div>
      </header>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {can('createTag') && (
        <AddTagForm
          onDone={(tag) => {
            setAnnouncement(`${tag.name} was added.`);
          }}
        />
      )}
      <form
        className="filters-inline"
        role="search"
        aria-label="Tags"
        onSubmit={(event) => {
          event.preventDefault();
          setQ(typed.trim());
        }}
      >
        <Field id="tag-search" label="Find tags" hint="Names starting with these letters">
          <input
            type="search"
            value={typed}
            autoComplete="off"
            onChange={(e) => {
              setTyped(e.target.value);
            }}
          />
        </Field>
        <div className="filters-actions">
          <button type="submit" className="btn">
            <Search aria-hidden="true" size={16} /> Find
          </button>
        </div>
      </form>
      {tags.isPending ? (
        <Loading label="Loading the tags…" />
      ) : tags.isError ? (
        <ErrorMessage
          title="The tags could not be loaded"
          error={tags.error}
          onRetry={() => void tags.refetch()}
        />
      ) : rows.length === 0 ? (
        <Empty title={q === '' ? 'No tags yet' : 'No tag starts with these letters'}>
          {q === '' && <p>Tags added here can be put on customers from their profile.</p>}
        </Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack" aria-busy={tags.isFetching}>
              <caption className="visually-hidden">Tags</caption>
              <thead>
                <tr>
                  <th scope="col">Tag</th>
                  <th scope="col">Description</th>
                  <th scope="col">Customers</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((tag) =>
                  editing === tag.id ? (
                    <EditTagRow
                      key={tag.id}
                      tag={tag}
                      onDone={(message) => {
                        setEditing(null);
                        setAnnouncement(message);
                      }}
                    />
                  ) : (
                    <tr key={tag.id}>
                      <td>
                        <span className="tag-name">
                          <span
                            className="swatch"
                            style={{ background: tag.colour }}
                            aria-hidden="true"
                            data-colour={tag.colour.toLowerCase()}
                          />
                          {tag.name}
                        </span>
                        <span className="field-hint"> {tag.colour.toLowerCase()}</span>
                      </td>
                      <td data-label="Description">
                        {tag.description ?? <span className="muted">—</span>}
                      </td>
                      <td data-label="Customers">{format.number(tag.customer_count)}</td>
                      <td>
                        <div className="row-actions">
                          {canEdit && (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => {
                                setEditing(tag.id);
                              }}
                            >
                              <Pencil aria-hidden="true" size={14} /> Edit
                              <span className="visually-hidden"> {tag.name}</span>
                            </button>
                          )}
                          {canDelete && (
                            <button
                              type="button"
                              className="btn btn-small"
                              onClick={() => {
                                remove.reset();
                                setDeleting(tag);
                              }}
                            >
                              <Trash2 aria-hidden="true" size={14} /> Delete
                              <span className="visually-hidden"> {tag.name}</span>
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            </table>
          </div>
          <Pager
            label="Pages of tags"
            cursors={trail.cursors}
            onCursors={trail.set}
            nextCursor={tags.data.next_cursor}
            hideWhenSingle
          />
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the tag “${deleting.name}”?`}
          confirmLabel="Delete tag"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => {
            remove.mutate(deleting);
          }}
          onCancel={() => {
            setDeleting(null);
          }}
        >
          <p>
            It is taken off {format.number(deleting.customer_count)}{' '}
            {deleting.customer_count === 1 ? 'customer' : 'customers'} and out of the catalog.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
