import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, GripVertical, Plus, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { api, unwrap } from '../../api/client';
import type { CustomFieldDefinition } from '../../api/types';
import { useSession } from '../../auth/session';
import { Badge } from '../../ui/Badge';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { usePageTitle } from '../../ui/page-title';
import { AddCustomFieldForm } from './AddCustomFieldForm';
import './custom-fields.css';
import { describeRules } from './field-rules';
import { TYPE_LABELS, moved } from './field-types';
import { CUSTOM_FIELDS_KEY, useCustomFields } from './queries';

const ALL_KEY = [...CUSTOM_FIELDS_KEY, 'all'] as const;

function FieldRow({
  field,
  position,
  count,
  canEdit,
  canReorder,
  canDelete,
  busy,
  dragging,
  dropTarget,
  onMove,
  onToggle,
  onDelete,
  dragHandlers,
}: {
  field: CustomFieldDefinition;
  position: number;
  count: number;
  canEdit: boolean;
  canReorder: boolean;
  canDelete: boolean;
  busy: boolean;
  dragging: boolean;
  dropTarget: boolean;
  onMove: (to: number) => void;
  onToggle: () => void;
  onDelete: () => void;
  dragHandlers: {
    onDragStart: (e: DragEvent<HTMLLIElement>) => void;
    onDragOver: (e: DragEvent<HTMLLIElement>) => void;
    onDrop: (e: DragEvent<HTMLLIElement>) => void;
    onDragEnd: () => void;
  };
}) {
  const format = useFormat();
  const rules = describeRules(field, format);
  const classes = [
    'field-item',
    field.is_active ? '' : 'field-item-off',
    dragging ? 'field-item-dragging' : '',
    dropTarget ? 'field-item-drop' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li className={classes} draggable={canReorder && !busy} {...(canReorder ? dragHandlers : {})}>
      {canReorder && (
        <span className="drag-handle" aria-hidden="true" title="Drag to reorder">
          <GripVertical size={18} />
        </span>
      )}
      <div className="field-item-body">
        <p className="field-item-title">
          <span className="visually-hidden">Position {position + 1}: </span>
          <strong>{field.field_label}</strong> <code>{field.field_name}</code>
        </p>
        <p className="field-item-meta">
          <span>{TYPE_LABELS[field.field_type]}</span>
          {field.is_required && <Badge tone="info">Required</Badge>}
          {field.is_sensitive && <Badge tone="warn">Sensitive</Badge>}
          {!field.is_active && <Badge>Disabled</Badge>}
        </p>
        {rules.length > 0 && <p className="field-hint">{rules.join(' · ')}</p>}
      </div>
      <div className="field-item-actions">
        {canReorder && (
          <>
            <button
              type="button"
              className="btn btn-icon"
              aria-label={`Move ${field.field_label} up`}
              data-move={`${field.id}:up`}
              title="Move up"
              disabled={busy || position === 0}
              onClick={() => {
                onMove(position - 1);
              }}
            >
              <ArrowUp aria-hidden="true" size={16} />
            </button>
            <button
              type="button"
              className="btn btn-icon"
              aria-label={`Move ${field.field_label} down`}
              data-move={`${field.id}:down`}
              title="Move down"
              disabled={busy || position === count - 1}
              onClick={() => {
                onMove(position + 1);
              }}
            >
              <ArrowDown aria-hidden="true" size={16} />
            </button>
          </>
        )}
        {canEdit && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={onToggle}>
            {field.is_active ? 'Disable' : 'Enable'}
            <span className="visually-hidden"> {field.field_label}</span>
          </button>
        )}
        {canDelete && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={onDelete}>
            <Trash2 aria-hidden="true" size={14} /> Delete
            <span className="visually-hidden"> {field.field_label}</span>
          </button>
        )}
      </div>
    </li>
  );
}

/** The tenant's custom fields: add, reorder by dragging or with the arrows, switch, delete. */
export function CustomFieldsPage() {
  usePageTitle('Custom fields');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const fields = useCustomFields({ includeInactive: true });
  const [adding, setAdding] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [deleting, setDeleting] = useState<CustomFieldDefinition | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  // After a move with the keyboard the focus follows the field, to its other arrow at an end.
  const refocus = useRef<{ id: string; dir: 'up' | 'down' } | null>(null);
  const canReorder = can('reorderCustomFields');
  const canEdit = can('updateCustomField');

  const reorder = useMutation({
    mutationFn: (ids: string[]) =>
      unwrap(api.POST('/crm/custom-fields/reorder', { body: { field_ids: ids } })),
    onMutate: (ids) => {
      const before = queryClient.getQueryData<CustomFieldDefinition[]>(ALL_KEY);
      if (before) {
        const byId = new Map(before.map((f) => [f.id, f]));
        queryClient.setQueryData(
          ALL_KEY,
          ids.flatMap((id) => byId.get(id) ?? []),
        );
      }
      return { before };
    },
    onError: (_error, _ids, context) => {
      if (context?.before) queryClient.setQueryData(ALL_KEY, context.before);
      setAnnouncement('The new order was not saved.');
    },
    onSuccess: (result) => {
      queryClient.setQueryData(ALL_KEY, result.data);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY });
    },
  });

  const toggle = useMutation({
    mutationFn: (field: CustomFieldDefinition) =>
      unwrap(
        api.PATCH('/crm/custom-fields/{field_id}', {
          params: { path: { field_id: field.id }, header: { 'If-Match': `"${field.version}"` } },
          body: { is_active: !field.is_active },
        }),
      ),
    onSuccess: (field) => {
      setAnnouncement(`${field.field_label} is ${field.is_active ? 'enabled' : 'disabled'}.`);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY });
    },
  });

  const remove = useMutation({
    mutationFn: (field: CustomFieldDefinition) =>
      unwrap(
        api.DELETE('/crm/custom-fields/{field_id}', {
          params: { path: { field_id: field.id }, header: { 'If-Match': `"${field.version}"` } },
        }),
      ),
    onSuccess: (_nothing, field) => {
      setDeleting(null);
      setAnnouncement(`${field.field_label} was deleted.`);
      void queryClient.invalidateQueries({ queryKey: CUSTOM_FIELDS_KEY });
      heading.current?.focus();
    },
  });

  useEffect(() => {
    const target = refocus.current;
    if (target === null || reorder.isPending) return;
    const button = (dir: string) =>
      listRef.current?.querySelector<HTMLButtonElement>(
        `[data-move="${target.id}:${dir}"]:not(:disabled)`,
      );
    (button(target.dir) ?? button(target.dir === 'up' ? 'down' : 'up'))?.focus();
    refocus.current = null;
  }, [reorder.isPending, fields.data]);

  const busy = reorder.isPending || toggle.isPending || remove.isPending;
  const list = fields.data ?? [];
  const move = (from: number, to: number) => {
    const field = list[from];
    if (field === undefined || from === to || to < 0 || to >= list.length) return;
    const next = moved(list, from, to);
    setAnnouncement(`${field.field_label} moved to position ${to + 1} of ${list.length}.`);
    reorder.mutate(next.map((f) => f.id));
  };
  const actionError = toggle.error ?? reorder.error;

  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1} ref={heading}>
            Custom fields
          </h1>
          <p className="muted">
            Fields of your own on every customer profile, in the order the profile shows them.
          </p>
        </div>
        {can('createCustomField') && !adding && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setAdding(true);
            }}
          >
            <Plus aria-hidden="true" size={16} /> Add field
          </button>
        )}
      </header>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {adding && (
        <AddCustomFieldForm
          onDone={() => {
            setAdding(false);
          }}
          onAdded={(field) => {
            setAnnouncement(`${field.field_label} was added.`);
          }}
        />
      )}
      {actionError !== null && (
        <ErrorMessage title="That change was not saved" error={actionError} />
      )}
      {fields.isPending ? (
        <Loading label="Loading the custom fields…" />
      ) : fields.isError ? (
        <ErrorMessage
          title="The custom fields could not be loaded"
          error={fields.error}
          onRetry={() => void fields.refetch()}
        />
      ) : list.length === 0 ? (
        <Empty title="No custom fields yet">
          <p>Add one to record what your business needs to know about each customer.</p>
        </Empty>
      ) : (
        <>
          {canReorder && (
            <p className="field-hint" id="reorder-hint">
              Drag a field to move it, or use its arrow buttons.
            </p>
          )}
          <ol
            ref={listRef}
            className="field-list"
            aria-label="Custom fields in display order"
            aria-describedby={canReorder ? 'reorder-hint' : undefined}
          >
            {list.map((field, i) => (
              <FieldRow
                key={field.id}
                field={field}
                position={i}
                count={list.length}
                canEdit={canEdit}
                canReorder={canReorder}
                canDelete={can('deleteCustomField')}
                busy={busy}
                dragging={dragged === field.id}
                dropTarget={over === field.id && dragged !== field.id}
                onMove={(to) => {
                  refocus.current = { id: field.id, dir: to < i ? 'up' : 'down' };
                  move(i, to);
                }}
                onToggle={() => {
                  toggle.mutate(field);
                }}
                onDelete={() => {
                  remove.reset();
                  setDeleting(field);
                }}
                dragHandlers={{
                  onDragStart: (e) => {
                    e.dataTransfer.effectAllowed = 'move';
                    e.dataTransfer.setData('text/plain', field.id);
                    setDragged(field.id);
                  },
                  onDragOver: (e) => {
                    if (dragged === null) return;
                    e.preventDefault();
                    e.dataTransfer.dropEffect = 'move';
                    setOver(field.id);
                  },
                  onDrop: (e) => {
                    e.preventDefault();
                    const from = list.findIndex((f) => f.id === dragged);
                    setDragged(null);
                    setOver(null);
                    if (from >= 0) move(from, i);
                  },
                  onDragEnd: () => {
                    setDragged(null);
                    setOver(null);
                  },
                }}
              />
            ))}
          </ol>
        </>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.field_label}”?`}
          confirmLabel="Delete field"
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
            The field and its value on every customer are deleted for good. To hide the field but
            keep its values, disable it instead.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
