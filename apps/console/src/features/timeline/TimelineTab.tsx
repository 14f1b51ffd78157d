import { ChevronDown, ChevronRight, Download, Plus } from 'lucide-react';
import { useState } from 'react';
import { describeError } from '../../api/problem';
import type { TimelineEntry, TimelineKind } from '../../api/types';
import { useSession } from '../../auth/session';
import { Empty, ErrorMessage, Loading } from '../../ui/feedback';
import { useFormat } from '../../ui/format';
import { exportTimeline } from './export-timeline';
import { KINDS, KIND_META, KindIcon } from './kinds';
import { LogInteractionForm } from './LogInteractionForm';
import { useTimeline } from './queries';

function label(key: string): string {
  const words = key.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function EntryView({ entry }: { entry: TimelineEntry }) {
  const format = useFormat();
  const [open, setOpen] = useState(false);
  const detailsId = `entry-${entry.id}-details`;
  const who = entry.actor.name ?? entry.actor.id ?? entry.actor.type;
  return (
    <li className={`timeline-entry kind-${entry.kind}`}>
      <span className="timeline-icon" aria-hidden="true">
        <KindIcon kind={entry.kind} />
      </span>
      <div className="timeline-body">
        <div className="timeline-line">
          <span className="visually-hidden">{KIND_META[entry.kind].label}: </span>
          <span className="timeline-summary">{entry.summary}</span>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            aria-expanded={open}
            aria-controls={detailsId}
            onClick={() => {
              setOpen(!open);
            }}
          >
            {open ? (
              <ChevronDown aria-hidden="true" size={14} />
            ) : (
              <ChevronRight aria-hidden="true" size={14} />
            )}
            {open ? 'Hide details' : 'Details'}
            <span className="visually-hidden"> of “{entry.summary}”</span>
          </button>
        </div>
        <p className="timeline-meta">
          <time dateTime={entry.occurred_at} title={format.dateTime(entry.occurred_at)}>
            {format.dateTime(entry.occurred_at)}
          </time>{' '}
          · {who}
        </p>
        <div id={detailsId} hidden={!open}>
          <dl className="details">
            {Object.entries(entry.data).map(([key, value]) => (
              <div key={key}>
                <dt>{label(key)}</dt>
                <dd>{show(value)}</dd>
              </div>
            ))}
            <div>
              <dt>Recorded by</dt>
              <dd>
                {entry.source.service} ({entry.type})
              </dd>
            </div>
          </dl>
        </div>
      </div>
    </li>
  );
}

export function TimelineTab({
  customerId,
  expectingChange,
  onChangeExpected,
}: {
  customerId: string;
  /** A change was just made here: look for its entry often until it shows. */
  expectingChange: boolean;
  onChangeExpected: () => void;
}) {
  const { can } = useSession();
  const [kinds, setKinds] = useState<TimelineKind[]>([]);
  const [logging, setLogging] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const timeline = useTimeline(customerId, kinds, expectingChange ? 1_000 : 30_000);

  const toggle = (kind: TimelineKind) => {
    setKinds(kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind]);
  };
  const entries = timeline.data?.pages.flatMap((p) => p.data) ?? [];
  const download = (format: 'csv' | 'json') => {
    setExportError(null);
    exportTimeline(customerId, format, kinds).catch((error: unknown) => {
      setExportError(error);
    });
  };

  return (
    <div className="timeline">
      <div className="toolbar">
        <fieldset className="kind-filter">
          <legend>Show</legend>
          <button
            type="button"
            className="chip"
            aria-pressed={kinds.length === 0}
            onClick={() => {
              setKinds([]);
            }}
          >
            Everything
          </button>
          {KINDS.map((kind) => {
            const text = KIND_META[kind].label;
            return (
              <button
                key={kind}
                type="button"
                className="chip"
                aria-pressed={kinds.includes(kind)}
                onClick={() => {
                  toggle(kind);
                }}
              >
                <KindIcon kind={kind} size={14} /> {text}
              </button>
            );
          })}
        </fieldset>
        <div className="toolbar-actions">
          {can('logInteraction') && !logging && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                setLogging(true);
              }}
            >
              <Plus aria-hidden="true" size={16} /> Log interaction
            </button>
          )}
          {can('exportCustomerTimeline') && (
            <>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  download('csv');
                }}
              >
                <Download aria-hidden="true" size={16} /> Export CSV
              </button>
              <button
                type="button"
                className="btn"
                onClick={() => {
                  download('json');
                }}
              >
                <Download aria-hidden="true" size={16} /> Export JSON
              </button>
            </>
          )}
        </div>
      </div>
      {exportError !== null && (
        <p className="field-error" role="alert">
          Export failed: {describeError(exportError)}
        </p>
      )}
      {logging && (
        <LogInteractionForm
          customerId={customerId}
          onDone={() => {
            setLogging(false);
          }}
          onLogged={onChangeExpected}
        />
      )}
      {timeline.isPending ? (
        <Loading label="Loading the timeline…" />
      ) : timeline.isError ? (
        <ErrorMessage
          title="The timeline could not be loaded"
          error={timeline.error}
          onRetry={() => void timeline.refetch()}
        />
      ) : entries.length === 0 ? (
        <Empty
          title={kinds.length > 0 ? 'Nothing of these kinds yet' : 'Nothing on the timeline yet'}
        />
      ) : (
        <>
          <ol className="timeline-list" aria-label="Timeline, newest first">
            {entries.map((entry) => (
              <EntryView key={entry.id} entry={entry} />
            ))}
          </ol>
          {timeline.hasNextPage && (
            <button
              type="button"
              className="btn"
              disabled={timeline.isFetchingNextPage}
              onClick={() => void timeline.fetchNextPage()}
            >
              {timeline.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
            </button>
          )}
        </>
      )}
    </div>
  );
}
