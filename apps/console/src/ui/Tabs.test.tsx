import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Tabs } from './Tabs';

afterEach(cleanup);

const TABS = [
  { key: 'overview', label: 'Overview' },
  { key: 'timeline', label: 'Timeline' },
  { key: 'notes', label: 'Notes' },
];

function Harness() {
  const [tab, setTab] = useState('overview');
  return (
    <Tabs label="Sections" tabs={TABS} selected={tab} onSelect={setTab} idPrefix="t">
      <p>Panel of {tab}</p>
    </Tabs>
  );
}

describe('tabs', () => {
  it('move with the arrow keys, Home and End, wrapping around, and show the chosen panel', async () => {
    render(<Harness />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    await user.keyboard('{ArrowLeft}');
    expect(screen.getByRole('tab', { name: 'Notes' })).toBe(document.activeElement);
    expect(screen.getByRole('tabpanel').textContent).toBe('Panel of notes');
    await user.keyboard('{ArrowRight}');
    expect(screen.getByRole('tab', { name: 'Overview', selected: true })).toBe(
      document.activeElement,
    );
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { selected: true }).textContent).toBe('Notes');
    await user.keyboard('{Home}');
    expect(screen.getByRole('tabpanel').textContent).toBe('Panel of overview');
  });

  it('keep only the selected tab in the Tab order, and label the panel with it', async () => {
    render(<Harness />);
    await userEvent.setup().click(screen.getByRole('tab', { name: 'Timeline' }));
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.getAttribute('tabindex'))).toEqual(['-1', '0', '-1']);
    expect(screen.getByRole('tabpanel', { name: 'Timeline' })).toBeTruthy();
  });
});
