import type { CreateOpportunity, Opportunity, UpdateOpportunity } from '../../api/types';
import { minorUnitsOf, moneyInputValue } from '../../ui/format';

/** The opportunity form as its inputs hold it (text, never null). */
export interface OpportunityDraft {
  title: string;
  stage: string;
  amount: string;
  currency: string;
  expected_close_date: string;
  /** A member of the staff directory; '' leaves the API's default (the caller) on create. */
  owner_id: string;
}

export function draftOf(opportunity: Opportunity): OpportunityDraft {
  return {
    title: opportunity.title,
    stage: opportunity.stage,
    amount: moneyInputValue(opportunity.value),
    currency: opportunity.value.currency,
    expected_close_date: opportunity.expected_close_date ?? '',
    owner_id: opportunity.owner_id ?? '',
  };
}

export function emptyDraft(stage: string, currency: string): OpportunityDraft {
  return { title: '', stage, amount: '', currency, expected_close_date: '', owner_id: '' };
}

/** Problems the form can see before asking the API, by the API's field names. */
export function draftProblems(draft: OpportunityDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  if (draft.title.trim() === '') problems.title = 'Give the opportunity a title';
  const currency = draft.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) {
    problems['value.currency'] = 'Three letters, e.g. EUR';
  } else if (minorUnitsOf(draft.amount, currency) === null) {
    problems['value.amount_minor'] = `Enter an amount in ${currency}, e.g. 1250.00`;
  }
  return problems;
}

function valueOf(draft: OpportunityDraft) {
  const currency = draft.currency.trim().toUpperCase();
  return { amount_minor: minorUnitsOf(draft.amount, currency) ?? 0, currency };
}

export function createBody(draft: OpportunityDraft): CreateOpportunity {
  const body: CreateOpportunity = { title: draft.title.trim(), value: valueOf(draft) };
  if (draft.stage !== '') body.stage = draft.stage;
  if (draft.expected_close_date !== '') body.expected_close_date = draft.expected_close_date;
  if (draft.owner_id !== '') body.owner_id = draft.owner_id;
  return body;
}

/** Only what changed, so a change made meanwhile to another field is not overwritten. */
export function updateBody(before: Opportunity, draft: OpportunityDraft): UpdateOpportunity {
  const body: UpdateOpportunity = {};
  if (draft.title.trim() !== before.title) body.title = draft.title.trim();
  if (draft.stage !== before.stage) body.stage = draft.stage;
  const value = valueOf(draft);
  if (
    value.amount_minor !== before.value.amount_minor ||
    value.currency !== before.value.currency
  ) {
    body.value = value;
  }
  const close = draft.expected_close_date === '' ? null : draft.expected_close_date;
  if (close !== before.expected_close_date) body.expected_close_date = close;
  const owner = draft.owner_id === '' ? null : draft.owner_id;
  if (owner !== before.owner_id) body.owner_id = owner;
  return body;
}
