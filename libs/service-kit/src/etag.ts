/** Entity versions travel as strong ETags: `"3"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Accepts `"3"`, `W/"3"` or a list; returns the versions named. */
export function versionsFromIfMatch(header: string): number[] {
  return header
    .split(',')
    .map((part) => /^\s*(?:W\/)?"(\d+)"\s*$/.exec(part)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number);
}

/** An If-Match naming another version than the current one fails with 412; `*` or none passes. */
export function matchesIfMatch(header: string | undefined, version: number): boolean {
  if (header === undefined || header.trim() === '*') return true;
  return versionsFromIfMatch(header).includes(version);
}
