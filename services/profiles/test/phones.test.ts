import type { CustomerPhone } from '@crm/contracts';
import { AppError } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import {
  checkPhones,
  detectType,
  unitedPhones,
  withNumbers,
  withPrimary,
} from '../src/domain/customers/phones.js';

const p = (number: string, primary = false, type: CustomerPhone['type'] = 'other') => ({
  number,
  type,
  primary,
});

describe('phone lists', () => {
  it('detects mobiles only where the numbering plan says so', () => {
    expect(detectType('+4915112345678')).toBe('mobile');
    expect(detectType('+447911123456')).toBe('mobile');
    expect(detectType('+4930901820')).toBe('other');
    // +1 numbers may be fixed or mobile: no guess.
    expect(detectType('+12025550143')).toBe('other');
  });

  it('reads numbers in the default region, puts the primary first and names every problem', () => {
    expect(checkPhones([{ number: '030 901820' }, { number: '+44 20 7946 0001' }], 'DE')).toEqual([
      p('+4930901820', true),
      p('+442079460001'),
    ]);
    expect(
      checkPhones(
        [
          { number: '020 7946 0001', type: 'work' },
          { number: '07911 123456', primary: true },
        ],
        'GB',
      ),
    ).toEqual([p('+447911123456', true, 'mobile'), p('+442079460001', false, 'work')]);
    expect(checkPhones([], 'DE')).toEqual([]);

    let thrown: unknown;
    try {
      checkPhones(
        [
          { number: 'x', primary: true },
          { number: '030 901820', primary: true },
          { number: '+4930901820' },
        ],
        'DE',
      );
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).errors?.map((e) => [e.field, e.code])).toEqual([
      ['phones[0].number', 'invalid_phone'],
      ['phones[1].primary', 'multiple_primary'],
      ['phones[2].number', 'duplicate_phone'],
    ]);
  });

  it('replaces, promotes and removes the primary for writes of phone', () => {
    const list = [p('+4930901820', true), p('+442079460001', false, 'work')];
    expect(withPrimary(list, '+4930901820')).toBe(list);
    expect(withPrimary(list, '+4915112345678')).toEqual([
      p('+4915112345678', true, 'mobile'),
      p('+442079460001', false, 'work'),
    ]);
    expect(withPrimary(list, '+442079460001')).toEqual([p('+442079460001', true, 'work')]);
    expect(withPrimary(list, null)).toEqual([p('+442079460001', true, 'work')]);
    expect(withPrimary([], null)).toEqual([]);
  });

  it('adds numbers once and never beyond ten', () => {
    expect(withNumbers([], [p('+4930901820')])).toEqual([p('+4930901820', true)]);
    const ten = Array.from({ length: 10 }, (_, i) => p(`+4930901${820 + i}`, i === 0));
    expect(withNumbers(ten, [p('+4915112345678')])).toEqual(ten);
    expect(withNumbers([p('+4930901820', true)], [p('+4930901820')])).toHaveLength(1);
  });

  it('unites the numbers of merged customers around the chosen primary', () => {
    const survivor = [p('+4930901820', true)];
    const other = [p('+442079460001', true, 'work'), p('+4930901820')];
    expect(unitedPhones(survivor, [other], null)).toEqual([
      p('+4930901820', true),
      p('+442079460001', false, 'work'),
    ]);
    expect(unitedPhones(survivor, [other], '+442079460001')).toEqual([
      p('+442079460001', true, 'work'),
      p('+4930901820'),
    ]);
    expect(unitedPhones([], [other], null)).toEqual([
      p('+442079460001', true, 'work'),
      p('+4930901820'),
    ]);
    const six = (from: number) => Array.from({ length: 6 }, (_, i) => p(`+4930901${from + i}`));
    expect(() => unitedPhones(six(820), [six(830)], null)).toThrow(AppError);
  });
});
