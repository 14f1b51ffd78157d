import { ChevronLeft, ChevronRight } from 'lucide-react';

/**
 * Previous and Next over a cursor-paged list: `cursors` are those that led to the page shown
 * (none on the first page); Next adds the page's `nextCursor`, Previous drops the last one.
 */
export function Pager({
  label,
  cursors,
  nextCursor,
  onCursors,
  previousLabel = 'Previous',
  nextLabel = 'Next',
  hideWhenSingle = false,
}: {
  /** Names the navigation for assistive technology, e.g. "Pages of customers". */
  label: string;
  cursors: readonly string[];
  nextCursor: string | null;
  onCursors: (cursors: string[]) => void;
  previousLabel?: string;
  nextLabel?: string;
  /** Shows nothing when there is one page only. */
  hideWhenSingle?: boolean;
}) {
  if (hideWhenSingle && cursors.length === 0 && nextCursor === null) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="btn"
        disabled={cursors.length === 0}
        onClick={() => {
          onCursors(cursors.slice(0, -1));
        }}
      >
        <ChevronLeft aria-hidden="true" size={16} /> {previousLabel}
      </button>
      <span className="muted">Page {cursors.length + 1}</span>
      <button
        type="button"
        className="btn"
        disabled={nextCursor === null}
        onClick={() => {
          if (nextCursor !== null) onCursors([...cursors, nextCursor]);
        }}
      >
        {nextLabel} <ChevronRight aria-hidden="true" size={16} />
      </button>
    </nav>
  );
}
