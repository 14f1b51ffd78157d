/**
 * Letters that carry their mark in the letter itself (no Unicode decomposition), written as
 * people type them without it.
 */
const WITHOUT_DECOMPOSITION: Record<string, string> = {
  ł: 'l',
  ŀ: 'l',
  đ: 'd',
  ð: 'd',
  ø: 'o',
  ħ: 'h',
  ı: 'i',
  ŧ: 't',
  ŋ: 'n',
  ĸ: 'k',
  þ: 'th',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
};

const UNDECOMPOSED = new RegExp(`[${Object.keys(WITHOUT_DECOMPOSITION).join('')}]`, 'gu');

/** The combining marks Latin, Greek and Cyrillic letters decompose into. */
const COMBINING_MARKS = /[\u0300-\u036f]/gu;

/**
 * Text as search compares it: lower case, accents removed (`Zoë Müller-Łukasz` →
 * `zoe muller-lukasz`), compatibility forms unified (`ﬁ` → `fi`). Documents and queries are
 * both folded, so either may be typed with or without accents. Marks of other scripts
 * (Indic vowel signs, for one) are kept: removing them would change the word.
 */
export function foldForSearch(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFC')
    .replace(UNDECOMPOSED, (c) => WITHOUT_DECOMPOSITION[c] ?? c);
}

/**
 * The words of a query: folded, split at anything but a letter (with its marks) or a digit,
 * so each part of a hyphenated name is a word of its own.
 */
export function searchWords(text: string): string[] {
  return foldForSearch(text)
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** What typo matching and the duplicate check compare: first, last and company name, folded. */
export function searchNamesOf(person: {
  firstName: string;
  lastName: string;
  companyName: string | null;
}): string {
  return foldForSearch(
    [person.firstName, person.lastName, person.companyName ?? ''].join(' ').trim(),
  );
}
