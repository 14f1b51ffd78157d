import type { Customer, CustomFieldDefinition, TenantSettings } from '@crm/contracts';
import { signDevToken } from '@crm/service-kit';
import { TEST_JWT_SECRET, createCustomer, newTenant, tokenFor } from '@crm/testing';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useConsole } from './support/world.js';

const world = useConsole();

/** Serious and critical WCAG A/AA findings of axe on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The labels of the custom field list, top to bottom. */
async function fieldOrder(page: Page): Promise<string[]> {
  return page
    .getByRole('list', { name: 'Custom fields in display order' })
    .locator('li strong')
    .allInnerTexts();
}

const SECTIONS = [
  'Locale and currency',
  'Custom fields',
  'Lifecycle stages',
  'Tags',
  'Tracking',
  'Team',
];

async function openSettings(page: Page, section: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Settings' })
    .click();
  await page
    .getByRole('navigation', { name: 'Settings' })
    .getByRole('link', { name: section })
    .click();
  await page.getByRole('heading', { name: section, level: 1 }).waitFor();
}

describe('the custom field manager', () => {
  it('adds a field, reorders by keyboard and by dragging, and the field is set on a customer and shown after a reload', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const customer = await createCustomer(client, { first_name: 'Philippa', last_name: 'Garrow' });
    const referral = await client.post<CustomFieldDefinition>('/crm/custom-fields', {
      field_name: 'referral_code',
      field_label: 'Referral code',
      field_type: 'text',
      validation: { max: 12 },
    });
    expect(referral.status).toBe(201);

    const page = await world.signedIn(token);
    await openSettings(page, 'Custom fields');
    await page.getByRole('list', { name: 'Custom fields in display order' }).waitFor();
    expect(await fieldOrder(page)).toEqual(['Referral code']);

    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('heading', { name: 'Add a custom field' }).waitFor();
    await page.getByLabel('Label', { exact: true }).fill('Loyalty tier');
    expect(await page.getByLabel('Key', { exact: true }).inputValue()).toBe('loyalty_tier');
    await page.getByLabel('Type', { exact: true }).selectOption({ label: 'One choice' });
    await page.getByLabel('Choice 1', { exact: true }).fill('Gold');
    await page.getByLabel('Choice 2', { exact: true }).fill('Silver');
    await page.getByRole('button', { name: 'Add a choice' }).click();
    await page.getByLabel('Choice 3', { exact: true }).fill('Bronze');
    await page.getByRole('button', { name: 'Add field', exact: true }).click();
    await page.getByRole('heading', { name: 'Add a custom field' }).waitFor({ state: 'detached' });
    await page.getByText('choices: Gold, Silver, Bronze').waitFor();
    expect(await fieldOrder(page)).toEqual(['Referral code', 'Loyalty tier']);

    // The keyboard: the arrow moves the field, and the focus stays with it.
    await page.getByRole('button', { name: 'Move Loyalty tier up' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Loyalty tier moved to position 1 of 2.').waitFor();
    expect(await fieldOrder(page)).toEqual(['Loyalty tier', 'Referral code']);
    await expect
      .poll(() =>
        page.evaluate<string | null>('document.activeElement?.getAttribute("aria-label") ?? null'),
      )
      .toBe('Move Loyalty tier down');

    // Dragging: Referral code back on top.
    const items = page
      .getByRole('list', { name: 'Custom fields in display order' })
      .getByRole('listitem');
    await items
      .filter({ hasText: 'Referral code' })
      .dragTo(items.filter({ hasText: 'Loyalty tier' }));
    await page.getByRole('status').getByText('Referral code moved to position 1 of 2.').waitFor();
    await expect.poll(() => fieldOrder(page)).toEqual(['Referral code', 'Loyalty tier']);
    // Saved as the API's display order, not only on the page.
    await expect
      .poll(async () =>
        (await client.get<{ data: CustomFieldDefinition[] }>('/crm/custom-fields')).body.data.map(
          (f) => f.field_name,
        ),
      )
      .toEqual(['referral_code', 'loyalty_tier']);

    // The customer: Edit offers the field, and the value is saved and shown.
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Philippa Garrow', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Loyalty tier').selectOption({ label: 'Silver' });
    await page.getByLabel('Referral code').fill('FRIEND-7');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Edit customer' }).waitFor({ state: 'detached' });
    const card = page.getByRole('region', { name: 'Custom fields' });
    await card.getByText('Silver', { exact: true }).waitFor();
    const stored = await client.get<Customer>(`/crm/customers/${customer.id}`);
    expect(stored.body.custom_fields).toEqual({
      loyalty_tier: 'silver',
      referral_code: 'FRIEND-7',
    });
    await page.reload();
    await card.getByText('Silver', { exact: true }).waitFor();
    expect(await card.innerText()).toContain('FRIEND-7');

    // A value the field's rules refuse comes back next to the field.
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Referral code').fill('FAR-TOO-LONG-A-CODE');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#edit-cf-referral_code-error').waitFor();
    expect(await page.getByLabel('Referral code').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: 'Cancel' }).click();

    // Disabled, the field leaves the profile; deleted, it leaves the manager.
    await openSettings(page, 'Custom fields');
    await page.getByRole('button', { name: 'Disable Referral code' }).click();
    await page.getByRole('button', { name: 'Enable Referral code' }).waitFor();
    await page.getByRole('button', { name: 'Delete Loyalty tier' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Loyalty tier”?' });
    await dialog.waitFor();
    expect(await page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toBe(
      'Cancel',
    );
    expect(await seriousViolations(page), 'delete dialog').toEqual([]);
    await dialog.getByRole('button', { name: 'Delete field' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => fieldOrder(page)).toEqual(['Referral code']);
    const left = await client.get<{ data: CustomFieldDefinition[] }>(
      '/crm/custom-fields?include_inactive=true',
    );
    expect(left.body.data.map((f) => [f.field_name, f.is_active])).toEqual([
      ['referral_code', false],
    ]);
    await page.close();
  });

  it('shows the fields without changing them to a manager, and says when the list cannot be loaded', async () => {
    const tenant = newTenant();
    const admin = world.client(await tokenFor(tenant, 'admin'));
    await admin.post('/crm/custom-fields', {
      field_name: 'shoe_size',
      field_label: 'Shoe size',
      field_type: 'number',
      validation: { min: 30, max: 50 },
    });
    const page = await world.signedIn(await tokenFor(tenant, 'manager'));
    await openSettings(page, 'Custom fields');
    await page.getByText('30 to 50').waitFor();
    expect(await page.getByRole('button', { name: 'Add field' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Move|Delete|Disable/ }).count()).toBe(0);
    expect(
      await page
        .getByRole('navigation', { name: 'Settings' })
        .getByRole('link', { name: 'Tracking' })
        .count(),
    ).toBe(0);

    await page.route('**/crm/custom-fields?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Upstream unavailable',
          status: 503,
          code: 'upstream_unavailable',
          detail: 'The profiles service is not answering; try again shortly',
        }),
      }),
    );
    await page.reload();
    const alert = page.getByRole('alert');
    await alert.getByText('The custom fields could not be loaded').waitFor({ timeout: 15_000 });
    expect(await alert.innerText()).toContain('The profiles service is not answering');
    await page.close();
  });
});

describe('the settings pages', () => {
  it('change a tag colour and rename a stage, and the pages show them after a reload', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    expect(
      (await client.post('/crm/tags', { name: 'Spa regular', colour: '#808080' })).status,
    ).toBe(201);
    const customer = await createCustomer(client, {
      first_name: 'Ottoline',
      last_name: 'Fairweather',
      customer_stage: 'lead',
    });
    expect(
      (await client.post(`/crm/customers/${customer.id}/tags`, { add: ['Spa regular'] })).status,
    ).toBe(200);

    const page = await world.signedIn(token);
    await openSettings(page, 'Tags');
    const row = page.getByRole('row').filter({ hasText: 'Spa regular' });
    await row.waitFor();
    expect(await row.innerText()).toContain('#808080');
    await row.getByRole('button', { name: 'Edit Spa regular' }).click();
    const form = page.getByRole('form', { name: 'Edit tag Spa regular' });
    await form.getByLabel('Colour', { exact: true }).fill('#1F77B4');
    await form.getByRole('button', { name: 'Save tag' }).click();
    await form.waitFor({ state: 'detached' });
    await page.reload();
    const saved = page.getByRole('row').filter({ hasText: 'Spa regular' });
    await saved.getByText('#1f77b4').waitFor();
    expect(await saved.locator('.swatch').getAttribute('data-colour')).toBe('#1f77b4');
    expect(
      await page.evaluate<string>(
        `getComputedStyle(document.querySelector('.swatch[data-colour="#1f77b4"]')).backgroundColor`,
      ),
    ).toBe('rgb(31, 119, 180)');
    expect(await saved.getByRole('cell').nth(2).innerText()).toBe('1');

    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Lifecycle stages' })
      .click();
    await page.getByRole('heading', { name: 'Lifecycle stages', level: 1 }).waitFor();
    const second = page.getByLabel('Name of stage 2');
    expect(await second.inputValue()).toBe('Lead');
    await second.fill('Warm lead');
    await page.getByRole('button', { name: 'Move Warm lead up' }).click();
    await page.getByRole('button', { name: 'Save stages' }).click();
    await page.getByRole('status').getByText('The stages are saved.').waitFor();
    expect(await page.getByLabel('Name of stage 1').inputValue()).toBe('Warm lead');

    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Ottoline Fairweather', level: 1 }).waitFor();
    await page.locator('.profile-badges').getByText('Warm lead').waitFor();
    await page.goto(`${world.appUrl}customers`);
    await page
      .getByLabel('Stage')
      .locator('option', { hasText: 'Warm lead' })
      .waitFor({ state: 'attached' });
    const stages = await page.getByLabel('Stage').locator('option').allInnerTexts();
    expect(stages.slice(0, 3)).toEqual(['Any stage', 'Warm lead', 'New']);
    await page.close();
  });

  it('set the tenant’s locale, time zone and currency, and every page writes dates and money with them', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const customer = await createCustomer(client, { first_name: 'Ingrid', last_name: 'Solberg' });
    const page = await world.signedIn(token);
    await openSettings(page, 'Locale and currency');
    await page.getByText('These are the defaults of this installation.').waitFor();
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('UTC');

    await page.getByLabel('Language and region').fill('de-DE');
    await page.getByLabel('Time zone', { exact: true }).selectOption('Asia/Tokyo');
    await page.getByLabel('Currency', { exact: true }).selectOption('JPY');
    await page.getByText('1.234.567,89').waitFor();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. Dates and amounts now follow these settings.').waitFor();
    const stored = await client.get<TenantSettings>('/crm/settings/tenant');
    expect(stored.body).toMatchObject({
      locale: 'de-DE',
      timezone: 'Asia/Tokyo',
      currency: 'JPY',
      version: 1,
    });

    const expected = new Intl.DateTimeFormat('de-DE', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Tokyo',
    }).format(new Date(customer.updated_at));
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    const details = page.getByRole('region', { name: 'Details' });
    await details.getByText(expected).waitFor();

    // A stale version is refused and offered a reload; a manager reads them but cannot change them.
    await client.put('/crm/settings/tenant', {
      locale: 'en-GB',
      timezone: 'Europe/London',
      currency: 'GBP',
    });
    await openSettings(page, 'Locale and currency');
    await page.getByLabel('Currency', { exact: true }).selectOption('EUR');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('alert').getByText('Someone else changed these settings first.').waitFor();
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('alert').waitFor({ state: 'detached' });
    expect(await page.getByLabel('Language and region').inputValue()).toBe('en-GB');

    const manager = await world.signedIn(await tokenFor(tenant, 'manager'));
    await openSettings(manager, 'Locale and currency');
    await manager.getByText('Only an admin can change these.').waitFor();
    expect(await manager.getByText('Europe/London').count()).toBe(1);
    expect(await manager.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    await manager.close();
    await page.close();
  });

  it('turn tracking on, and add, change and deactivate a member of the team', async () => {
    const tenant = newTenant();
    const token = await signDevToken({
      secret: TEST_JWT_SECRET,
      tenant,
      role: 'admin',
      sub: 'admin-wren',
      name: 'Wren Admin',
    });
    const page = await world.signedIn(token);
    await openSettings(page, 'Tracking');
    const calls = page.getByLabel('Calls');
    expect(await calls.isChecked()).toBe(false);
    await calls.check();
    await page.getByRole('button', { name: 'Save tracking' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.reload();
    await page.getByLabel('Calls').waitFor();
    expect(await page.getByLabel('Calls').isChecked()).toBe(true);

    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Team' })
      .click();
    await page.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    const me = page.getByRole('row').filter({ hasText: 'Wren Admin' });
    await me.waitFor();
    expect(await me.innerText()).toContain('(you)');
    await page.getByLabel('New team').fill('Front desk');
    await page.getByRole('button', { name: 'Add team' }).click();
    await page.getByRole('button', { name: 'Rename Front desk' }).waitFor();

    await page.getByRole('button', { name: 'Add member' }).click();
    const add = page.getByRole('form', { name: 'Add a member' });
    await add.getByLabel('Name', { exact: true }).fill('Tamsin Locke');
    await add.getByLabel('Email', { exact: true }).fill('tamsin@example.com');
    await add.getByLabel('Role', { exact: true }).selectOption('staff');
    await add.getByLabel('Front desk').check();
    await add.getByRole('button', { name: 'Add member' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Tamsin Locke' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Front desk');
    expect(await row.innerText()).toContain('Never signed in');

    await row.getByRole('button', { name: 'Edit Tamsin Locke' }).click();
    const edit = page.getByRole('form', { name: 'Edit Tamsin Locke' });
    await edit.getByLabel('Role').selectOption('manager');
    await edit.getByRole('button', { name: 'Save member' }).click();
    await edit.waitFor({ state: 'detached' });
    await page.getByRole('row').filter({ hasText: 'Tamsin Locke' }).getByText('Manager').waitFor();

    await page.getByRole('button', { name: 'Deactivate Tamsin Locke' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate Tamsin Locke?' });
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Reactivate Tamsin Locke' }).waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Tamsin Locke' }).innerText()).toContain(
      'Deactivated',
    );
    // No one deactivates themselves.
    expect(await page.getByRole('button', { name: 'Deactivate Wren Admin' }).count()).toBe(0);
    await page.close();
  });
});

describe('the settings pages as a whole', () => {
  it.each(['light', 'dark'] as const)(
    'have no serious or critical accessibility findings in the %s theme',
    async (theme) => {
      const tenant = newTenant();
      const token = await tokenFor(tenant, 'admin');
      const client = world.client(token);
      await client.post('/crm/tags', { name: 'Newsletter', colour: '#2ca02c' });
      await client.post('/crm/custom-fields', {
        field_name: 'allergies',
        field_label: 'Allergies',
        field_type: 'multiselect',
        field_options: [
          { value: 'nuts', label: 'Nuts' },
          { value: 'latex', label: 'Latex' },
        ],
        is_sensitive: true,
      });
      const page = await world.signedIn(token, { dark: theme === 'dark' });
      for (const section of SECTIONS) {
        await openSettings(page, section);
        await page.locator('.state-loading').first().waitFor({ state: 'detached' });
        expect(await seriousViolations(page), section).toEqual([]);
      }
      await openSettings(page, 'Custom fields');
      await page.getByRole('button', { name: 'Add field' }).click();
      await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Money' });
      expect(await seriousViolations(page), 'add field').toEqual([]);
      await page.close();
    },
  );

  it('fit a phone screen without sideways scrolling', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    await world
      .client(token)
      .post('/crm/tags', { name: 'Long-standing wellness member', colour: '#9467bd' });
    const page = await world.signedIn(token, { width: 375 });
    const overflow = () =>
      page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    for (const section of SECTIONS) {
      await openSettings(page, section);
      await page.locator('.state-loading').first().waitFor({ state: 'detached' });
      expect(await overflow(), section).toBeLessThanOrEqual(0);
    }
    await page.close();
  });
});
