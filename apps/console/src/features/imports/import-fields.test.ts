import { describe, expect, it } from 'vitest';
import { guessMapping, mappingOf, mappingProblems, type CustomTarget } from './import-fields';

const custom: CustomTarget[] = [
  { name: 'member_no', label: 'Member number', required: true },
  { name: 'referral', label: 'Referred by', required: false },
];

describe('guessing the mapping from the header', () => {
  it('knows the field names, their usual other names and the custom fields', () => {
    const header = [
      'First name',
      'SURNAME',
      'E-Mail',
      'Mobile',
      'Member Number',
      'member_no',
      'Groups',
      'BookingX id',
      'Post code',
      'Favourite colour',
      'Referral',
      'Referred by',
    ];
    expect(guessMapping(header, custom)).toEqual([
      'first_name',
      'last_name',
      'email',
      'phone',
      'custom.member_no',
      // The field is taken by the column before: a second one is left for the person to map.
      '',
      'tags',
      'external_ref',
      'postal_code',
      '',
      // A custom field's exact name wins over a core field's other name; its label does not.
      'custom.referral',
      'referral_source',
    ]);
  });

  it('fills each field from the first matching column only', () => {
    expect(guessMapping(['Email', 'email', 'Phone', 'Telephone'], [])).toEqual([
      'email',
      '',
      'phone',
      '',
    ]);
  });
});

describe('checking the mapping before it is sent', () => {
  it('asks for the first name and every required custom field', () => {
    const problems = mappingProblems(['Name', 'Mail'], ['', 'email'], custom);
    expect(problems).toEqual([
      { column: null, message: 'Choose the column that holds the first name' },
      {
        column: null,
        message: 'Member number is a required custom field: choose the column that holds it',
      },
    ]);
  });

  it('names the column that fills a field a second time, and a column the file has twice', () => {
    const header = ['First', 'Given name', 'Email', 'Email', 'No'];
    const problems = mappingProblems(
      header,
      ['first_name', 'first_name', 'email', '', 'custom.member_no'],
      custom,
    );
    expect(problems).toEqual([
      { column: 'Given name', message: 'First name is already filled from “First”' },
      { column: 'Email', message: 'The file has more than one column “Email”' },
    ]);
  });

  it('sends only the mapped columns, by header', () => {
    expect(mappingOf(['First', 'Skip me', 'No'], ['first_name', '', 'custom.member_no'])).toEqual({
      First: 'first_name',
      No: 'custom.member_no',
    });
    expect(mappingProblems(['First', 'No'], ['first_name', 'custom.member_no'], custom)).toEqual(
      [],
    );
  });
});
