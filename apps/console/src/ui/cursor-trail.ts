import { useState } from 'react';

/**
 * The cursors that led to the page shown, for Previous and Next over a cursor-paged list;
 * they start over when `key` (the filters) changes.
 */
export function useCursorTrail(key: string) {
  const [trail, setTrail] = useState<{ key: string; cursors: string[] }>({ key, cursors: [] });
  const cursors = trail.key === key ? trail.cursors : [];
  return {
    cursors,
    set: (next: string[]) => {
      setTrail({ key, cursors: next });
    },
    cursor: cursors.at(-1),
    page: cursors.length + 1,
    hasPrevious: cursors.length > 0,
    previous: () => {
      setTrail({ key, cursors: cursors.slice(0, -1) });
    },
    next: (cursor: string) => {
      setTrail({ key, cursors: [...cursors, cursor] });
    },
  };
}
