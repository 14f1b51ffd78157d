import { describe, expect, it } from 'vitest';
import { changesBetween, type EditableFields } from './edit-customer';

const before: EditableFields = {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '',
  company_name: 'Analytical Engines',
  job_title: '',
  customer_status: 'active',
  customer_stage: 'lead',
  vip_status: false,
};

describe('the edit of a customer', () => {
  it('sends only the fields that changed, so a concurrent change elsewhere survives', () => {
    expect(
      changesBetween(before, { ...before, job_title: ' Countess ', vip_status: true }),
    ).toEqual({ job_title: 'Countess', vip_status: true });
  });

  it('clears an optional field emptied in the form', () => {
    expect(changesBetween(before, { ...before, email: '  ', company_name: '' })).toEqual({
      email: null,
      company_name: null,
    });
  });

  it('sends nothing when nothing changed but spaces around a name', () => {
    expect(changesBetween(before, { ...before, first_name: ' Ada ' })).toEqual({});
  });

  it('sends a new status and stage', () => {
    expect(
      changesBetween(before, { ...before, customer_status: 'archived', customer_stage: 'vip' }),
    ).toEqual({ customer_status: 'archived', customer_stage: 'vip' });
  });
});
