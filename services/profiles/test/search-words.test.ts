import { describe, expect, it } from 'vitest';
import { foldForSearch, searchNamesOf, searchWords } from '../src/domain/search/fold.js';
import { classify } from '../src/domain/search/search-customers.js';

describe('search words', () => {
  it('folds case, accents and letters that carry their mark', () => {
    expect(foldForSearch('Zoë Müller-Łukasz')).toBe('zoe muller-lukasz');
    expect(foldForSearch('José Núñez-García')).toBe('jose nunez-garcia');
    expect(foldForSearch('Søren Ærø Straße Œuvre Đorđe Þór')).toBe(
      'soren aero strasse oeuvre dorde thor',
    );
    expect(foldForSearch('İLKER ﬁne')).toBe('ilker fine');
    // Cyrillic and Greek lose their accents as Latin does (й and и compare equal, as ё and е).
    expect(foldForSearch('Дмитрий Ёлкин Ελένη')).toBe('дмитрии елкин ελενη');
    // Other scripts keep their marks, which are part of the letter; Hangul stays composed.
    expect(foldForSearch('हिन्दी 김민준')).toBe('हिन्दी 김민준');
  });

  it('splits a query into folded words, each part of a hyphenated name one word', () => {
    expect(searchWords('  Zoë  MÜLLER-Łukasz ')).toEqual(['zoe', 'muller', 'lukasz']);
    expect(searchWords("O'Brien, Mary-Kate")).toEqual(['o', 'brien', 'mary', 'kate']);
    expect(searchWords('हिन्दी')).toEqual(['हिन्दी']);
    expect(searchWords('+++')).toEqual([]);
  });

  it('classifies emails and phones before words, and folds the words', () => {
    expect(classify('Zoë.Müller@Example.org', 'DE')).toEqual({
      kind: 'email',
      email: 'zoë.müller@example.org',
    });
    expect(classify('030 901820', 'DE')).toEqual({ kind: 'phone', phone: '+4930901820' });
    expect(classify('Zoë Müller', 'DE')).toEqual({
      kind: 'words',
      text: 'zoe muller',
      words: ['zoe', 'muller'],
    });
  });

  it('compares names folded, the company included', () => {
    expect(searchNamesOf({ firstName: 'Zoë', lastName: 'Müller', companyName: null })).toBe(
      'zoe muller',
    );
    expect(searchNamesOf({ firstName: 'Ada', lastName: 'Lovelace', companyName: 'Ærø AG' })).toBe(
      'ada lovelace aero ag',
    );
  });
});
