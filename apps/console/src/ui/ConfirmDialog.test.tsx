import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problem';
import { ConfirmDialog } from './ConfirmDialog';

afterEach(cleanup);

function setup(props: { busy?: boolean; error?: unknown } = {}) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  render(
    <ConfirmDialog
      title="Delete “Loyalty tier”?"
      confirmLabel="Delete field"
      onConfirm={onConfirm}
      onCancel={onCancel}
      {...props}
    >
      <p>Every value is deleted.</p>
    </ConfirmDialog>,
  );
  return { onConfirm, onCancel, user: userEvent.setup() };
}

describe('the confirmation dialog', () => {
  it('is named by its title, described by its text, and starts on Cancel', () => {
    setup();
    const dialog = screen.getByRole('dialog', { name: 'Delete “Loyalty tier”?' });
    expect(dialog.getAttribute('aria-describedby')).toBeTruthy();
    expect(
      document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('Every value is deleted.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
  });

  it('confirms only with the confirm button; Enter on the first focus cancels', async () => {
    const { onConfirm, onCancel, user } = setup();
    await user.keyboard('{Enter}');
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Delete field' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('cancels on Escape, but not while the action runs', () => {
    const { onCancel } = setup();
    fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    cleanup();
    const busy = setup({ busy: true });
    fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));
    expect(busy.onCancel).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Working…' }).hasAttribute('disabled')).toBe(true);
  });

  it('says why the action failed, and stays open', () => {
    setup({
      error: new ApiError(
        412,
        {
          type: 'about:blank',
          title: 'Precondition failed',
          status: 412,
          code: 'precondition_failed',
          detail: 'Changed',
        },
        '',
      ),
    });
    expect(screen.getByRole('alert').textContent).toBe('Changed');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});
