import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CustomFieldDefinition } from '../../api/types';
import { CustomerFilters } from './CustomerFilters';
import { filterableFields } from './field-conditions';
import { NO_FILTERS, filterExpression, listQuery, type ListFilters } from './list-query';

afterEach(cleanup);

const stages = [
  { key: 'lead', label: 'Lead' },
  { key: 'customer', label: 'Customer' },
];

function setup(filters: ListFilters = NO_FILTERS) {
  const onChange = vi.fn<(next: ListFilters) => void>();
  render(<CustomerFilters filters={filters} stages={stages} onChange={onChange} />);
  return { onChange, user: userEvent.setup() };
}

describe('the customer filters', () => {
  it('applies a select at once, keeping the other filters', async () => {
    const { onChange, user } = setup({ ...NO_FILTERS, vip: 'true' });
    await user.selectOptions(screen.getByLabelText('Stage'), 'Lead');
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, vip: 'true', stage: 'lead' });
    await user.selectOptions(screen.getByLabelText('Status'), 'Blocked');
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, vip: 'true', status: 'blocked' });
  });

  it('applies the search words and tags when the form is submitted, not while typing', async () => {
    const { onChange, user } = setup();
    await user.type(screen.getByLabelText('Search'), '  Ada Lovlace ');
    await user.type(screen.getByLabelText('Tags'), 'gold, , newsletter,gold');
    expect(onChange).not.toHaveBeenCalled();
    await user.keyboard('{Enter}');
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(onChange).toHaveBeenLastCalledWith({
      ...NO_FILTERS,
      q: 'Ada Lovlace',
      tags: ['gold', 'newsletter'],
    });
  });

  it('offers Clear filters only when something is filtered, and keeps the sort', async () => {
    const sort = { column: 'name' as const, descending: false };
    const { onChange, user } = setup({ ...NO_FILTERS, q: 'ada', status: 'active', sort });
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(onChange).toHaveBeenLastCalledWith({ ...NO_FILTERS, sort });
    cleanup();
    setup({ ...NO_FILTERS, sort });
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('shows the filters it was given, and follows them when they change from outside', () => {
    const onChange = vi.fn();
    const { rerender } = render(
      <CustomerFilters
        filters={{ ...NO_FILTERS, q: 'ada', tags: ['gold'] }}
        stages={stages}
        onChange={onChange}
      />,
    );
    expect(screen.getByLabelText<HTMLInputElement>('Search').value).toBe('ada');
    expect(screen.getByLabelText<HTMLInputElement>('Tags').value).toBe('gold');
    rerender(<CustomerFilters filters={NO_FILTERS} stages={stages} onChange={onChange} />);
    expect(screen.getByLabelText<HTMLInputElement>('Search').value).toBe('');
    expect(screen.getByLabelText<HTMLInputElement>('Tags').value).toBe('');
  });
});

let fieldCount = 0;
function field(
  field_name: string,
  field_label: string,
  field_type: CustomFieldDefinition['field_type'],
  extra: Partial<CustomFieldDefinition> = {},
): CustomFieldDefinition {
  fieldCount += 1;
  return {
    id: `0193d000-0000-7000-8000-${String(fieldCount).padStart(12, '0')}`,
    field_name,
    field_label,
    field_type,
    field_options: [],
    is_required: false,
    is_sensitive: false,
    validation: {},
    display_order: fieldCount,
    is_active: true,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

const FIELDS = [
  field('shoe_size', 'Shoe size', 'number'),
  field('budget', 'Budget', 'currency', { validation: { currency: 'EUR' } }),
  field('joined', 'Joined', 'datetime'),
  field('membership', 'Membership', 'select', {
    field_options: [
      { value: 'gold_tier', label: 'Gold' },
      { value: 'silver_tier', label: 'Silver' },
    ],
  }),
  field('newsletter', 'Newsletter', 'boolean'),
  field('interests', 'Interests', 'multiselect', {
    field_options: [{ value: 'yoga', label: 'Yoga' }],
  }),
  field('nickname', 'Nickname', 'text'),
];

/** The list page's part: the filters as state, changed by the filters' onChange. */
function Harness({ start, seen }: { start: ListFilters; seen: (f: ListFilters) => void }) {
  const [filters, setFilters] = useState(start);
  return (
    <CustomerFilters
      filters={filters}
      stages={stages}
      fields={FIELDS}
      onChange={(next) => {
        seen(next);
        setFilters(next);
      }}
    />
  );
}

function harness(start: ListFilters = NO_FILTERS) {
  let last = start;
  render(
    <Harness
      start={start}
      seen={(f) => {
        last = f;
      }}
    />,
  );
  return { user: userEvent.setup(), filters: () => last };
}

async function addCondition(
  user: ReturnType<typeof userEvent.setup>,
  label: string,
  op: string,
  value?: string,
) {
  await user.selectOptions(screen.getByLabelText('Field'), label);
  await user.selectOptions(screen.getByLabelText('Condition'), op);
  if (value !== undefined) {
    const input = screen.getByLabelText(/^(Value|Days|Amount)/);
    if (input instanceof HTMLSelectElement) await user.selectOptions(input, value);
    else await user.type(input, value);
  }
  await user.click(screen.getByRole('button', { name: 'Add condition' }));
}

describe('the filter builder', () => {
  it('adds a condition on a custom field at once, and shows it as a chip that removes it', async () => {
    const { user, filters } = harness();
    await addCondition(user, 'Shoe size', 'is at least', '38');
    expect(filters().where).toEqual([{ field: 'shoe_size', op: 'gte', value: 38 }]);
    const chips = screen.getByRole('list', { name: 'Custom field conditions' });
    expect(within(chips).getByText('Shoe size is at least 38')).toBeTruthy();

    await user.click(
      screen.getByRole('button', { name: 'Remove condition: Shoe size is at least 38' }),
    );
    expect(filters().where).toEqual([]);
    expect(screen.queryByRole('list', { name: 'Custom field conditions' })).toBeNull();
  });

  it('adds with Enter in the value instead of searching, and refuses a value that is not one', async () => {
    const { user, filters } = harness({ ...NO_FILTERS, q: 'ada' });
    await user.selectOptions(screen.getByLabelText('Field'), 'Shoe size');
    await user.type(screen.getByLabelText('Value'), 'big{Enter}');
    expect(screen.getByRole('alert').textContent).toBe('Enter a number');
    expect(screen.getByLabelText('Value').getAttribute('aria-invalid')).toBe('true');
    expect(filters().where).toEqual([]);

    await user.clear(screen.getByLabelText('Value'));
    await user.type(screen.getByLabelText('Value'), '41{Enter}');
    expect(filters()).toEqual({
      ...NO_FILTERS,
      q: 'ada',
      where: [{ field: 'shoe_size', op: 'eq', value: 41 }],
    });
    // The search endpoint takes no filter-language conditions: the page says it leaves them out.
    expect(
      screen.getByText(/Search words do not combine with custom field conditions/),
    ).toBeTruthy();
  });

  it('builds one filter-language expression from every filter combined, custom fields included', async () => {
    const { user, filters } = harness({
      ...NO_FILTERS,
      status: 'active',
      vip: 'true',
      tags: ['gold'],
    });
    await user.selectOptions(screen.getByLabelText('Stage'), 'Lead');
    await addCondition(user, 'Shoe size', 'is more than', '37');
    await addCondition(user, 'Budget', 'is at least', '1,250.50');
    await addCondition(user, 'Joined', 'is within the last', '30');
    await addCondition(user, 'Membership', 'is not', 'Silver');
    await addCondition(user, 'Newsletter', 'is', 'No');
    await addCondition(user, 'Interests', 'includes', 'Yoga');
    await addCondition(user, 'Nickname', 'is empty');

    const chips = within(screen.getByRole('list', { name: 'Custom field conditions' }));
    expect(chips.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Shoe size is more than 37',
      'Budget is at least €1,250.50',
      'Joined is within the last 30 days',
      'Membership is not Silver',
      'Newsletter is no',
      'Interests includes Yoga',
      'Nickname is empty',
    ]);

    const custom = [
      { field: 'custom.shoe_size', op: 'gt', value: 37 },
      // A currency field compares its amount in minor units.
      { field: 'custom.budget', op: 'gte', value: 125050 },
      { field: 'custom.joined', op: 'within_last', value: { amount: 30, unit: 'days' } },
      { field: 'custom.membership', op: 'neq', value: 'silver_tier' },
      { field: 'custom.newsletter', op: 'eq', value: false },
      { field: 'custom.interests', op: 'contains', value: 'yoga' },
      { field: 'custom.nickname', op: 'is_not_set' },
    ];
    // What a bulk action on "all matching" sends: every filter, as the filter language says it.
    expect(filterExpression(filters())).toEqual({
      and: [
        { field: 'customer_status', op: 'eq', value: 'active' },
        { field: 'customer_stage', op: 'eq', value: 'lead' },
        { field: 'vip_status', op: 'eq', value: true },
        { field: 'tags', op: 'contains', value: 'gold' },
        ...custom,
      ],
    });
    // The list says status, stage and VIP with its own parameters and the rest in `filter`.
    const query = listQuery(filters(), { limit: 25 });
    expect(query).toMatchObject({ status: 'active', stage: 'lead', vip: 'true' });
    expect(JSON.parse(query.filter ?? 'null')).toEqual({
      and: [{ field: 'tags', op: 'contains', value: 'gold' }, ...custom],
    });
  });

  it('says a lone filter as a single leaf, and nothing when nothing is filtered', () => {
    expect(filterExpression(NO_FILTERS)).toBeNull();
    expect(filterExpression({ ...NO_FILTERS, q: 'only words' })).toBeNull();
    expect(filterExpression({ ...NO_FILTERS, vip: 'false' })).toEqual({
      field: 'vip_status',
      op: 'eq',
      value: false,
    });
  });

  it('offers only the custom fields the API filters on: active ones that are not sensitive', async () => {
    const offered = filterableFields([
      ...FIELDS,
      field('passport', 'Passport number', 'text', { is_sensitive: true }),
      field('old_code', 'Old code', 'text', { is_active: false }),
    ]);
    expect(offered.map((f) => f.field_name)).toEqual(FIELDS.map((f) => f.field_name));
    const { user } = harness();
    const options = within(screen.getByLabelText('Field')).getAllByRole('option');
    expect(options.map((o) => o.textContent)).toEqual([
      'Choose a field',
      ...FIELDS.map((f) => f.field_label),
    ]);
    await user.selectOptions(screen.getByLabelText('Field'), 'Joined');
    expect(
      within(screen.getByLabelText('Condition'))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['is within the last', 'is before', 'is after', 'has a value', 'is empty']);
  });
});
