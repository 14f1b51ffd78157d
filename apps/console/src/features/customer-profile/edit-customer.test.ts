import { describe, expect, it } from 'vitest';
import { fieldErrorMessage } from '../../api/problem';
import { changesBetween, formFieldOf, type EditableFields } from './edit-customer';

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
  owner_id: 'kim',
  collaborator_ids: ['lee', 'max'],
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

  it('assigns a new owner, or none, and sends the whole collaborator list when it changed', () => {
    expect(changesBetween(before, { ...before, owner_id: 'ana' })).toEqual({ owner_id: 'ana' });
    expect(changesBetween(before, { ...before, owner_id: '' })).toEqual({ owner_id: null });
    expect(changesBetween(before, { ...before, collaborator_ids: ['lee', 'max', 'ana'] })).toEqual({
      collaborator_ids: ['lee', 'max', 'ana'],
    });
    expect(changesBetween(before, { ...before, collaborator_ids: ['max', 'lee'] })).toEqual({});
    expect(changesBetween(before, { ...before, collaborator_ids: [] })).toEqual({
      collaborator_ids: [],
    });
  });

  it('places an unknown collaborator next to the collaborators, in words', () => {
    expect(formFieldOf('collaborator_ids.1')).toBe('collaborator_ids');
    expect(formFieldOf('owner_id')).toBe('owner_id');
    expect(
      fieldErrorMessage({
        code: 'unknown_member',
        message: 'No member ghost in the staff directory',
      }),
    ).toBe(
      'No member ghost in the staff directory: choose an active member of the staff directory.',
    );
  });
});
