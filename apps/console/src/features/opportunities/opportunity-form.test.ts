import { describe, expect, it } from 'vitest';
import type { Opportunity } from '../../api/types';
import { createBody, draftOf, draftProblems, emptyDraft, updateBody } from './opportunity-form';

const stored: Opportunity = {
  id: '0193d000-0000-7000-8000-000000000001',
  customer_id: '0193d000-0000-7000-8000-000000000002',
  title: 'Spring retreat',
  stage: 'qualification',
  status: 'open',
  value: { amount_minor: 125000, currency: 'EUR' },
  expected_close_date: '2026-05-01',
  owner_id: 'kim',
  lost_reason: null,
  closed_at: null,
  version: 3,
  created_at: '2026-03-01T10:00:00Z',
  updated_at: '2026-03-01T10:00:00Z',
};

describe('the opportunity form', () => {
  it('opens a new opportunity with the amount in minor units and leaves out what is blank', () => {
    const draft = { ...emptyDraft('proposal', 'EUR'), title: ' Gift cards ', amount: '1.250,50' };
    expect(draftProblems(draft)).toEqual({});
    expect(createBody(draft)).toEqual({
      title: 'Gift cards',
      stage: 'proposal',
      value: { amount_minor: 125050, currency: 'EUR' },
    });
  });

  it('says what is wrong before asking, by the API’s field names', () => {
    expect(draftProblems({ ...emptyDraft('', 'eu'), amount: '5' })).toEqual({
      title: 'Give the opportunity a title',
      'value.currency': 'Three letters, e.g. EUR',
    });
    expect(draftProblems({ ...emptyDraft('', 'JPY'), title: 'x', amount: '12.5' })).toEqual({
      'value.amount_minor': 'Enter an amount in JPY, e.g. 1250.00',
    });
  });

  it('sends only the changed fields of an edit, the value whole', () => {
    const draft = draftOf(stored);
    expect(updateBody(stored, draft)).toEqual({});
    expect(updateBody(stored, { ...draft, stage: 'negotiation', amount: '1300' })).toEqual({
      stage: 'negotiation',
      value: { amount_minor: 130000, currency: 'EUR' },
    });
    expect(updateBody(stored, { ...draft, expected_close_date: '', owner_id: '' })).toEqual({
      expected_close_date: null,
      owner_id: null,
    });
  });
});
