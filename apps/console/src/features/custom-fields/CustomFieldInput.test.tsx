import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CustomFieldDefinition } from '../../api/types';
import { CustomFieldInput } from './CustomFieldInput';
import type { ValueDraft } from './field-values';

afterEach(cleanup);

function def(patch: Partial<CustomFieldDefinition>): CustomFieldDefinition {
  return {
    id: '0190f5a4-7b7e-7cc3-8c3a-000000000001',
    field_name: 'tier',
    field_label: 'Loyalty tier',
    field_type: 'select',
    field_options: [
      { value: 'gold', label: 'Gold' },
      { value: 'silver', label: 'Silver' },
    ],
    is_required: false,
    is_sensitive: false,
    validation: {},
    display_order: 0,
    is_active: true,
    version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...patch,
  };
}

function Harness({
  field,
  start,
  error,
  onValue,
}: {
  field: CustomFieldDefinition;
  start: ValueDraft;
  error?: string;
  onValue: (v: ValueDraft) => void;
}) {
  const [value, setValue] = useState(start);
  return (
    <CustomFieldInput
      def={field}
      value={value}
      currency="EUR"
      timeZone="Europe/Berlin"
      error={error}
      onChange={(next) => {
        setValue(next);
        onValue(next);
      }}
    />
  );
}

describe('a custom field in the edit form', () => {
  it('offers the choices of a select, and Not set to clear it', async () => {
    const onValue = vi.fn();
    render(<Harness field={def({})} start="gold" onValue={onValue} />);
    const select = screen.getByLabelText<HTMLSelectElement>('Loyalty tier');
    expect([...select.options].map((o) => o.text)).toEqual(['Not set', 'Gold', 'Silver']);
    await userEvent.setup().selectOptions(select, 'Silver');
    expect(onValue).toHaveBeenLastCalledWith('silver');
  });

  it('ticks several choices as a labelled group', async () => {
    const onValue = vi.fn();
    render(
      <Harness field={def({ field_type: 'multiselect' })} start={['gold']} onValue={onValue} />,
    );
    const group = screen.getByRole('group', { name: 'Loyalty tier' });
    expect(group).toBeTruthy();
    await userEvent.setup().click(screen.getByLabelText('Silver'));
    expect(onValue).toHaveBeenLastCalledWith(['gold', 'silver']);
  });

  it('says what an amount is in and which clock a time is read on', () => {
    render(
      <>
        <Harness
          field={def({ field_type: 'currency', field_name: 'budget', field_label: 'Budget' })}
          start=""
          onValue={vi.fn()}
        />
        <Harness
          field={def({ field_type: 'datetime', field_name: 'since', field_label: 'Since' })}
          start=""
          onValue={vi.fn()}
        />
      </>,
    );
    expect(screen.getByLabelText('Budget').getAttribute('type')).toBe('number');
    expect(screen.getByText('Amount in EUR')).toBeTruthy();
    expect(screen.getByLabelText('Since').getAttribute('type')).toBe('datetime-local');
    expect(screen.getByText('On the clock of Europe/Berlin')).toBeTruthy();
  });

  it('shows the API’s error next to the field and marks the field', () => {
    render(
      <Harness
        field={def({ field_type: 'text', is_required: true })}
        start=""
        error="tier is required"
        onValue={vi.fn()}
      />,
    );
    const input = screen.getByLabelText('Loyalty tier (required)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('edit-cf-tier-error');
    expect(screen.getByText('tier is required').id).toBe('edit-cf-tier-error');
  });
});
