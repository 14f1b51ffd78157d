import type { Customer } from '@crm/contracts';
import { createCustomer, newTenant, tokenFor, waitFor } from '@crm/testing';
import { describe, expect, it } from 'vitest';
import { useConsole } from './support/world.js';

const world = useConsole();

/** Waits until search answers for these words, so the page is not racing the index. */
async function searchable(token: string, words: string, id: string): Promise<void> {
  await waitFor(
    async () => {
      const r = await world
        .client(token)
        .get<{ data: { id: string }[] }>(`/crm/search?q=${encodeURIComponent(words)}`);
      return r.status === 200 && r.body.data.some((hit) => hit.id === id);
    },
    { what: `search to find "${words}"`, timeoutMs: 15_000 },
  );
}

describe('a staff member working with one customer', () => {
  it('signs in with a token, finds a customer by a misspelt name, edits a field and sees the change saved and on the timeline', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const customer = await createCustomer(client, {
      first_name: 'Bartholomew',
      last_name: 'Quennell',
      email: 'bart.quennell@example.com',
    });
    await createCustomer(client, { first_name: 'Agatha', last_name: 'Marchbanks' });
    await searchable(token, 'Quenell', customer.id);

    const page = await world.signedIn(token);
    await page.getByLabel('Search').fill('Bartholomew Quenell');
    await page.getByLabel('Search').press('Enter');
    const row = page.getByRole('link', { name: 'Bartholomew Quennell' });
    await row.waitFor();
    await page.getByRole('link', { name: 'Agatha Marchbanks' }).waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('q')).toBe('Bartholomew Quenell');

    await row.click();
    await page.getByRole('heading', { name: 'Bartholomew Quennell', level: 1 }).waitFor();
    // Keyboard users land on the new page's content, not on the link that is gone.
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('main');
    expect(await page.getByRole('link', { name: 'bart.quennell@example.com' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Job title').fill('Head Gardener');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Edit customer' }).waitFor({ state: 'detached' });
    await page.getByText('Head Gardener').waitFor();

    // Saved on the server, not only on the page: the API and a reload both show it.
    const stored = await client.get<Customer>(`/crm/customers/${customer.id}`);
    expect(stored.body.job_title).toBe('Head Gardener');
    await page.reload();
    await page.getByText('Head Gardener').waitFor();

    await page.getByRole('tab', { name: 'Timeline' }).click();
    const entry = page
      .getByRole('list', { name: 'Timeline, newest first' })
      .getByText('Profile updated: job title', { exact: true });
    await entry.waitFor({ timeout: 20_000 });
    await page.close();
  });

  it('logs a call from the timeline and sees it first, with its details', async () => {
    const tenant = newTenant();
    const admin = world.client(await tokenFor(tenant, 'admin'));
    // Calls are recorded only where the business turned track_calls on.
    expect((await admin.patch('/crm/interactions/settings', { track_calls: true })).status).toBe(
      200,
    );
    const token = await tokenFor(tenant, 'manager');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Cordelia',
      last_name: 'Fenwick',
    });
    const page = await world.signedIn(token);
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Cordelia Fenwick', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Timeline' }).click();

    await page.getByRole('button', { name: 'Log interaction' }).click();
    await page.getByLabel('Type').selectOption('call');
    await page.getByLabel('Subject').fill('Asked about gift cards');
    await page.getByLabel('Outcome').fill('booked');
    await page.getByLabel('Duration (minutes)').fill('12');
    await page.getByRole('button', { name: 'Log interaction' }).click();

    const list = page.getByRole('list', { name: 'Timeline, newest first' });
    await list
      .getByText('Call: Asked about gift cards — booked', { exact: true })
      .waitFor({ timeout: 20_000 });
    const first = list.getByRole('listitem').first();
    expect(await first.innerText()).toContain('Call: Asked about gift cards — booked');

    await first.getByRole('button', { name: /Details/ }).click();
    expect(
      await first.getByRole('button', { name: /Hide details/ }).getAttribute('aria-expanded'),
    ).toBe('true');
    expect(await first.getByText('Duration minutes').isVisible()).toBe(true);

    // The kind filter asks the API for interactions only: the profile's creation is left out.
    await page.getByRole('button', { name: 'Interactions' }).click();
    await page.getByRole('button', { name: 'Interactions', pressed: true }).waitFor();
    await list.getByText('Profile created').waitFor({ state: 'detached' });
    expect(
      await list.getByText('Call: Asked about gift cards — booked', { exact: true }).count(),
    ).toBe(1);
    await page.close();
  });

  it('says in words why the API refused to log an interaction', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Humphrey',
      last_name: 'Oakes',
    });
    const page = await world.signedIn(token);
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('button', { name: 'Log interaction' }).click();
    await page.getByLabel('Type').selectOption('call');
    await page.getByRole('button', { name: 'Log interaction' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('The interaction was not logged').waitFor();
    expect(await alert.innerText()).toContain('does not track call interactions');
    await page.close();
  });

  it('says so when someone else changed the customer first, and reload shows their change', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const customer = await createCustomer(client, { first_name: 'Ignatius', last_name: 'Pell' });
    const page = await world.signedIn(token);
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Ignatius Pell', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Company').fill('Pell & Daughters');

    const other = await client.patch<Customer>(`/crm/customers/${customer.id}`, {
      company_name: 'Pell Holdings',
    });
    expect(other.status).toBe(200);

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').getByText('Someone else changed this customer first.').waitFor();
    const kept = await client.get<Customer>(`/crm/customers/${customer.id}`);
    expect(kept.body.company_name).toBe('Pell Holdings');

    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    expect(await page.getByLabel('Company').inputValue()).toBe('Pell Holdings');
    await page.close();
  });

  it('shows a field error from the API next to its field', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Wilhelmina',
      last_name: 'Ashdown',
    });
    const page = await world.signedIn(token);
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Email').fill('not an email');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const email = page.getByLabel('Email');
    await page.locator('#edit-email-error').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.getAttribute('aria-describedby')).toContain('edit-email-error');
    expect((await page.locator('#edit-email-error').innerText()).length).toBeGreaterThan(3);
    expect(await page.locator('.field-error').count()).toBe(1);
    await page.close();
  });
});
