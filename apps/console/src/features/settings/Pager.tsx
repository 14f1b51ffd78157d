import { ChevronLeft, ChevronRight } from 'lucide-react';
import type { useCursorTrail } from './cursor-trail';

export function Pager({
  label,
  trail,
  nextCursor,
}: {
  label: string;
  trail: ReturnType<typeof useCursorTrail>;
  nextCursor: string | null;
}) {
  if (!trail.hasPrevious && nextCursor === null) return null;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="btn" disabled={!trail.hasPrevious} onClick={trail.previous}>
        <ChevronLeft aria-hidden="true" size={16} /> Previous
      </button>
      <span className="muted">Page {trail.page}</span>
      <button
        type="button"
        className="btn"
        disabled={nextCursor === null}
        onClick={() => {
          if (nextCursor !== null) trail.next(nextCursor);
        }}
      >
        Next <ChevronRight aria-hidden="true" size={16} />
      </button>
    </nav>
  );
}
