export function initialsOf(first: string, last: string): string {
  const letters = [first, last]
    .map((part) => part.trim().charAt(0))
    .filter((c) => c !== '')
    .join('');
  return (letters || '?').toUpperCase();
}

export function Avatar({
  first,
  last,
  url,
  size = 'md',
}: {
  first: string;
  last: string;
  url?: string | null;
  size?: 'md' | 'lg';
}) {
  if (url) {
    return (
      <img className={`avatar avatar-${size}`} src={url} alt="" referrerPolicy="no-referrer" />
    );
  }
  return (
    <span className={`avatar avatar-${size}`} aria-hidden="true">
      {initialsOf(first, last)}
    </span>
  );
}
