import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CustomerFilters } from './CustomerFilters';
import { NO_FILTERS, type ListFilters } from './list-query';

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
