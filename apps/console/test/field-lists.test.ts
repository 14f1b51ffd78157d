import { IMPORT_FIELDS, MERGEABLE_FIELDS } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { IMPORT_FIELDS as CONSOLE_IMPORT_FIELDS } from '../src/features/imports/import-field-list.js';
import { MERGEABLE_FIELDS as CONSOLE_MERGEABLE_FIELDS } from '../src/features/duplicates/mergeable-fields.js';

describe("the console's copies of the contract's field lists", () => {
  it('offer every field a CSV column can fill, and no other', () => {
    expect([...CONSOLE_IMPORT_FIELDS]).toEqual([...IMPORT_FIELDS]);
  });

  it('offer every field a merge takes from one customer, and no other', () => {
    expect([...CONSOLE_MERGEABLE_FIELDS]).toEqual([...MERGEABLE_FIELDS]);
  });
});
