import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Customer } from '../../api/types';
import { fieldRows, previewMerge, defaultChoices, mergeBody } from './merge-chooser';
import { MergeChooser } from './MergeChooser';

afterEach(cleanup);

const SURVIVOR = '0193d000-0000-7000-8000-000000000001';
const OTHER = '0193d000-0000-7000-8000-000000000002';
const THIRD = '0193d000-0000-7000-8000-000000000003';

function customer(id: string, fields: Partial<Customer>): Customer {
  return {
    id,
    tenant_id: '0193d000-0000-7000-8000-00000000aaaa',
    first_name: '',
    last_name: '',
    email: null,
    phone: null,
    phones: [],
    timezone: null,
    locale: null,
    profile_picture_url: null,
    company_name: null,
    job_title: null,
    website: null,
    linkedin_url: null,
    facebook_url: null,
    instagram_url: null,
    twitter_url: null,
    preferred_contact_method: null,
    preferred_contact_time: null,
    birthday: null,
    anniversary: null,
    referral_source: null,
    customer_status: 'active',
    customer_stage: 'lead',
    vip_status: false,
    do_not_contact: false,
    owner_id: null,
    team_id: null,
    tags: [],
    custom_fields: {},
    external_refs: [],
    source: 'crm',
    version: 1,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...fields,
  };
}

const survivor = customer(SURVIVOR, {
  first_name: 'A',
  last_name: 'Lovelace',
  email: 'ada@example.com',
  phone: '+442079460001',
  phones: [{ number: '+442079460001', type: 'work', primary: true }],
  company_name: null,
  tags: ['Gold'],
  custom_fields: { shoe_size: 38 },
});
const other = customer(OTHER, {
  first_name: 'Ada',
  last_name: 'Lovelace',
  email: 'ada.lovelace@example.com',
  phone: '+447700900123',
  phones: [{ number: '+447700900123', type: 'mobile', primary: true }],
  company_name: 'Engines Ltd',
  job_title: 'Analyst',
  vip_status: true,
  tags: ['Newsletter'],
});

function setup(customers: Customer[] = [survivor, other]) {
  const onMerge = vi.fn();
  render(
    <MergeChooser
      customers={customers}
      custom={[{ name: 'shoe_size', label: 'Shoe size' }]}
      pending={false}
      errorOf={(key) => (key === 'field_choices.email' ? 'Choose the survivor' : undefined)}
      onMerge={onMerge}
    />,
  );
  return { onMerge, user: userEvent.setup() };
}

const group = (name: string) => screen.getByRole('radiogroup', { name });
const checked = (name: string) =>
  within(group(name))
    .getAllByRole<HTMLInputElement>('radio')
    .find((r) => r.checked)
    ?.closest('label')?.textContent;

async function confirm(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('button', { name: 'Merge 2 customers' }));
  await user.click(screen.getByRole('button', { name: 'Confirm merge' }));
}

describe('the merge chooser', () => {
  it('starts from the survivor’s value where it has one, else the first other non-empty one', () => {
    setup();
    expect(checked('First name')).toBe('A from A Lovelace');
    expect(checked('Email')).toBe('ada@example.com from A Lovelace');
    // The survivor has no company: the other's fills it.
    expect(checked('Company')).toBe('Engines Ltd from Ada Lovelace');
    expect(checked('Job title')).toBe('Analyst from Ada Lovelace');
    // Fields every record agrees on offer no choice.
    expect(screen.queryByRole('radiogroup', { name: 'Last name' })).toBeNull();
    const lastName = screen.getByText('Last name', { selector: '.merge-label' });
    expect(lastName.nextElementSibling?.textContent).toBe('Lovelace (the same in every record)');
    // Fields empty everywhere are not shown at all.
    expect(screen.queryByText('Website')).toBeNull();
  });

  it('sends the defaults as explicit choices for every field that differs', async () => {
    const { onMerge, user } = setup();
    await confirm(user);
    expect(onMerge).toHaveBeenCalledWith({
      merge_ids: [OTHER],
      field_choices: {
        first_name: SURVIVOR,
        email: SURVIVOR,
        phone: SURVIVOR,
        company_name: OTHER,
        job_title: OTHER,
        'custom_fields.shoe_size': SURVIVOR,
      },
    });
  });

  it('takes the values chosen, one from each customer, and previews the result', async () => {
    const { onMerge, user } = setup();
    await user.click(
      within(group('First name')).getByRole('radio', { name: 'Ada from Ada Lovelace' }),
    );
    await user.click(
      within(group('Company')).getByRole('radio', { name: 'Empty from A Lovelace' }),
    );
    // Keyboard: the arrow keys move the choice within a field.
    within(group('Primary phone')).getByRole('radio', { checked: true }).focus();
    await user.keyboard('{ArrowRight}');
    expect(checked('Primary phone')).toBe('+447700900123 from Ada Lovelace');

    const preview = screen.getByRole('region', { name: 'After the merge' });
    const value = (term: string) =>
      within(preview).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(value('First name')).toBe('Ada');
    expect(value('Company')).toBe('Empty');
    expect(value('Email')).toBe('ada@example.com');
    expect(value('Primary phone')).toBe('+447700900123');
    expect(value('Other numbers')).toBe('+442079460001');
    expect(value('Tags')).toBe('Gold, Newsletter');
    expect(value('Shoe size')).toBe('38');
    expect(within(preview).getByText('VIP')).toBeTruthy();

    await confirm(user);
    expect(onMerge).toHaveBeenCalledWith({
      merge_ids: [OTHER],
      field_choices: {
        first_name: OTHER,
        email: SURVIVOR,
        phone: OTHER,
        company_name: SURVIVOR,
        job_title: OTHER,
        'custom_fields.shoe_size': SURVIVOR,
      },
    });
  });

  it('offers no empty phone or custom value of another record: the API could not keep it', () => {
    const noPhone = customer(SURVIVOR, { first_name: 'Ada', phone: null, phones: [] });
    const withPhone = customer(OTHER, {
      first_name: 'Ada',
      phone: '+447700900123',
      phones: [{ number: '+447700900123', type: 'mobile', primary: true }],
      custom_fields: {},
    });
    setup([noPhone, withPhone]);
    const phone = within(group('Primary phone')).getAllByRole<HTMLInputElement>('radio');
    expect(phone.map((r) => [r.disabled, r.checked])).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it('lets Cancel step back from the confirmation, and shows an API message in its field', async () => {
    const { onMerge, user } = setup();
    expect(screen.getByText('Choose the survivor')).toBeTruthy();
    expect(group('Email').getAttribute('aria-describedby')).toBe('merge-label-email-error');
    await user.click(screen.getByRole('button', { name: 'Merge 2 customers' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Confirm merge' }));
    expect(screen.getByText('Merge Ada Lovelace into A Lovelace?')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Merge 2 customers' }));
    expect(onMerge).not.toHaveBeenCalled();
  });
});

describe('merge choices without the page', () => {
  it('merges three: the first non-empty value in merge order fills an empty survivor field', () => {
    const a = customer(SURVIVOR, { first_name: 'Ada', job_title: null });
    const b = customer(OTHER, { first_name: 'Ada', job_title: null, referral_source: 'Fair' });
    const c = customer(THIRD, { first_name: 'Ada', job_title: 'Analyst', referral_source: 'Web' });
    const rows = fieldRows([a, b, c], []);
    const choices = defaultChoices(rows);
    expect(choices).toEqual({
      first_name: SURVIVOR,
      job_title: THIRD,
      referral_source: OTHER,
      customer_status: SURVIVOR,
      customer_stage: SURVIVOR,
    });
    expect(mergeBody(SURVIVOR, [OTHER, THIRD, SURVIVOR], rows, choices)).toEqual({
      merge_ids: [OTHER, THIRD],
      field_choices: { job_title: THIRD, referral_source: OTHER },
    });
    const preview = previewMerge([a, b, c], rows, choices);
    expect(preview.fields.map((f) => [f.key, f.value])).toEqual([
      ['first_name', 'Ada'],
      ['job_title', 'Analyst'],
      ['referral_source', 'Fair'],
      ['customer_status', 'active'],
      ['customer_stage', 'lead'],
    ]);
    expect(preview.vip).toBe(false);
  });
});
