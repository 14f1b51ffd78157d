// `pnpm console:screenshots`: one picture per page of the console into docs/console/, taken in
// Chromium against a cluster holding a small simulated business.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Customer, Page as ApiPage } from '@crm/contracts';
import { signDevToken } from '@crm/service-kit';
import { generate, publishEvents } from '@crm/simulator';
import { TEST_JWT_SECRET, newTenant, waitFor } from '@crm/testing';
import type { Page } from 'playwright-core';
import { expect, inject, it } from 'vitest';
import { useConsole } from './support/world.js';

const OUT = fileURLToPath(new URL('../../../docs/console/', import.meta.url));
const world = useConsole();

async function shoot(page: Page, name: string): Promise<void> {
  // Let spinners of per-row queries settle so the picture shows data, not loading.
  await page.waitForLoadState('networkidle');
  await page.getByText('…', { exact: true }).first().waitFor({ state: 'detached' });
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: false });
}

it('takes a screenshot of each page', async () => {
  mkdirSync(OUT, { recursive: true });
  const tenant = newTenant();
  const token = await signDevToken({
    secret: TEST_JWT_SECRET,
    tenant,
    role: 'admin',
    sub: 'dana',
    name: 'Dana Whitfield',
  });
  const client = world.client(token);
  await client.patch('/crm/interactions/settings', { track_calls: true });
  const events = generate({ seed: 11, tenants: [tenant], customers: 14, months: 8 });
  await publishEvents(inject('amqpUrl'), events);
  // The business's own conventions, from the currency its bookings are paid in.
  const paidIn = /"currency":"([A-Z]{3})"/.exec(JSON.stringify(events))?.[1] ?? 'EUR';
  await client.put(
    '/crm/settings/tenant',
    paidIn === 'GBP'
      ? { locale: 'en-GB', timezone: 'Europe/London', currency: 'GBP' }
      : { locale: 'de-DE', timezone: 'Europe/Berlin', currency: paidIn },
  );
  for (const field of [
    {
      field_name: 'loyalty_tier',
      field_label: 'Loyalty tier',
      field_type: 'select',
      field_options: [
        { value: 'gold', label: 'Gold' },
        { value: 'silver', label: 'Silver' },
        { value: 'bronze', label: 'Bronze' },
      ],
    },
    { field_name: 'favourite_stylist', field_label: 'Favourite stylist', field_type: 'text' },
    {
      field_name: 'allergies',
      field_label: 'Allergies',
      field_type: 'multiselect',
      field_options: [
        { value: 'nuts', label: 'Nuts' },
        { value: 'latex', label: 'Latex' },
        { value: 'fragrance', label: 'Fragrance' },
      ],
      is_sensitive: true,
    },
    {
      field_name: 'gift_card_balance',
      field_label: 'Gift card balance',
      field_type: 'currency',
      validation: { min: 0, max: 50000, currency: paidIn },
    },
    {
      field_name: 'referral_code',
      field_label: 'Referral code',
      field_type: 'text',
      validation: { max: 12, pattern: '^[A-Z0-9-]+$' },
      is_active: false,
    },
  ]) {
    await client.post('/crm/custom-fields', field);
  }
  for (const [name, colour] of [
    ['Newsletter', '#2ca02c'],
    ['Spa regular', '#1f77b4'],
    ['Gift card', '#d62728'],
    ['Referred a friend', '#9467bd'],
  ] as const) {
    await client.post('/crm/tags', { name, colour, description: null });
  }
  await client.post('/crm/team/teams', { name: 'Front desk' });
  await client.post('/crm/team/members', {
    name: 'Tamsin Locke',
    email: 'tamsin@example.com',
    role: 'staff',
  });
  await client.post('/crm/team/members', {
    name: 'Omar Haddad',
    email: 'omar@example.com',
    role: 'sales_rep',
  });
  const customers = await waitFor(
    async () => {
      const r = await client.get<ApiPage<Customer>>('/crm/customers?limit=50');
      return r.status === 200 && r.body.data.length >= 14 && r.body.data;
    },
    { what: 'the simulated customers', timeoutMs: 60_000 },
  );
  // The customer with the most booking events makes the fullest profile.
  const bookings = new Map<string, number>();
  for (const e of events) {
    if (e.subject && e.type.startsWith('bookingx.booking.')) {
      bookings.set(e.subject, (bookings.get(e.subject) ?? 0) + 1);
    }
  }
  const star = [...customers].sort(
    (a, b) => (bookings.get(b.id) ?? 0) - (bookings.get(a.id) ?? 0),
  )[0];
  expect(star).toBeDefined();
  if (!star) return;
  for (const c of customers.slice(0, 3)) {
    await client.patch(`/crm/customers/${c.id}`, { vip_status: true });
  }
  await client.patch(`/crm/customers/${star.id}`, {
    vip_status: true,
    company_name: 'Harbour Yoga Studio',
    job_title: 'Owner',
    custom_fields: {
      loyalty_tier: 'gold',
      favourite_stylist: 'Mira',
      allergies: ['latex'],
      gift_card_balance: { amount_minor: 7500, currency: paidIn },
    },
  });
  await client.post(`/crm/customers/${star.id}/tags`, { add: ['Spa regular', 'Gift card'] });
  await client.post(`/crm/customers/${star.id}/interactions`, {
    interaction_type: 'call',
    subject: 'Asked about the spring retreat',
    outcome: 'booked',
    direction: 'inbound',
    duration_minutes: 9,
  });

  // Something on every profile tab of the star, and a custom field and a tag for the list.
  const spouse = customers.find((c) => c.id !== star.id);
  if (spouse) {
    await client.post(`/crm/customers/${star.id}/relationships`, {
      related_customer_id: spouse.id,
      type: 'spouse',
      note: 'Books couples massages together',
    });
    await client.post('/crm/households', {
      name: `${star.last_name} household`,
      member_ids: [star.id, spouse.id],
    });
  }
  await client.post(`/crm/customers/${star.id}/consent`, {
    channel: 'email',
    purpose: 'marketing',
    granted: true,
    source: 'booking_form',
  });
  await client.post(`/crm/customers/${star.id}/consent`, {
    channel: 'sms',
    purpose: 'marketing',
    granted: false,
    source: 'phone_call',
    note: 'Prefers email',
  });
  await client.post(`/crm/customers/${star.id}/opportunities`, {
    title: 'Spring retreat for two',
    value: { amount_minor: 124000, currency: 'EUR' },
    expected_close_date: '2026-04-15',
  });
  await client.post(`/crm/customers/${star.id}/opportunities`, {
    title: 'Ten-class pass',
    stage: 'proposal',
    value: { amount_minor: 18000, currency: 'EUR' },
  });
  await client.post('/crm/team/members', { id: 'kim', name: 'Kim Okafor', role: 'staff' });
  await client.post('/crm/team/members', { id: 'lee', name: 'Lee Fairweather', role: 'sales_rep' });
  await client.post('/crm/tags', { name: 'spring-retreat' });
  await client.post('/crm/custom-fields', {
    field_name: 'membership',
    field_label: 'Membership',
    field_type: 'select',
    field_options: [
      { value: 'gold', label: 'Gold' },
      { value: 'silver', label: 'Silver' },
    ],
  });

  const signIn = await (await world.context()).newPage();
  await signIn.goto(world.appUrl);
  await signIn.getByRole('heading', { name: 'Sign in to Enhanced CRM' }).waitFor();
  await shoot(signIn, 'sign-in');

  const page = await world.signedIn(token);
  await page.locator('table[aria-busy="false"]').waitFor();
  await shoot(page, 'customers');

  await page.goto(`${world.appUrl}customers/${star.id}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByText('Never').waitFor({ state: 'detached' });
  await shoot(page, 'customer-overview');

  await page.getByRole('tab', { name: 'Timeline' }).click();
  const list = page.getByRole('list', { name: 'Timeline, newest first' });
  await list.waitFor();
  await list
    .getByRole('button', { name: /Details/ })
    .first()
    .click();
  await shoot(page, 'customer-timeline');

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('Email').fill('not an email');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('#edit-email-error').waitFor();
  await shoot(page, 'customer-edit-field-error');

  // The list with a custom field condition and rows ticked for a bulk action.
  await page.goto(`${world.appUrl}customers?vip=true`);
  await page.locator('table[aria-busy="false"]').waitFor();
  await page.getByLabel('Field').selectOption({ label: 'Membership' });
  await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
  await shoot(page, 'customers-bulk');
  await page.getByRole('button', { name: 'Tag…' }).click();
  await page.getByLabel('Tag', { exact: true }).selectOption('spring-retreat');
  await shoot(page, 'customers-bulk-tag');
  await page.keyboard.press('Escape');

  for (const [tab, name, shows] of [
    ['Relationships', 'customer-relationships', 'household'],
    ['Consent', 'customer-consent', 'Prefers email'],
    ['Opportunities', 'customer-opportunities', 'Ten-class pass'],
    ['Audit', 'customer-audit', 'Job title'],
  ] as const) {
    await page.goto(`${world.appUrl}customers/${star.id}`);
    await page.getByRole('tab', { name: tab }).click();
    await page.getByRole('tabpanel').getByText(shows).first().waitFor();
    await page.getByRole('tabpanel').scrollIntoViewIfNeeded();
    await shoot(page, name);
  }

  await page.goto(`${world.appUrl}customers/${star.id}`);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('combobox', { name: 'Add a collaborator' }).fill('Lee');
  await page.getByRole('option', { name: /Lee Fairweather/ }).waitFor();
  await page.getByRole('group', { name: 'Assignment' }).scrollIntoViewIfNeeded();
  await shoot(page, 'customer-edit-assignment');

  const dark = await world.signedIn(token, { dark: true });
  await dark.locator('table[aria-busy="false"]').waitFor();
  await shoot(dark, 'customers-dark');
  await dark.goto(`${world.appUrl}customers/${star.id}`);
  await dark.getByRole('tab', { name: 'Consent' }).click();
  await dark.getByText('Prefers email').waitFor();
  await shoot(dark, 'customer-consent-dark');

  const phone = await world.signedIn(token, { width: 390, height: 844 });
  await phone.locator('table[aria-busy="false"]').waitFor();
  await shoot(phone, 'customers-phone');
  await phone.goto(`${world.appUrl}customers/${star.id}`);
  await phone.getByRole('heading', { level: 1 }).waitFor();
  await shoot(phone, 'customer-phone');
  await phone.getByRole('tab', { name: 'Opportunities' }).click();
  await phone.getByRole('heading', { name: 'Ten-class pass' }).waitFor();
  await phone.getByRole('tabpanel').scrollIntoViewIfNeeded();
  await shoot(phone, 'customer-opportunities-phone');

  // CSV import: the mapping guessed from the header, the dry run's report, the import list.
  const csv = [
    'First name,Surname,E-mail,Mobile,Groups,Member since',
    'Imogen,Ashcombe,imogen.ashcombe@example.com,+44 7911 123451,,2019',
    'Rufus,Penhallow,rufus.penhallow@example,+44 7911 123452,,2021',
    'Tamsin,Greaves,tamsin.greaves@example.com,+44 7911 123453,,2020',
    'Cosmo,Littlejohn,cosmo.littlejohn@example.com,not a number,,2018',
    '',
  ].join('\r\n');
  await page.goto(`${world.appUrl}imports/new`);
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'spring-fair.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByRole('heading', { name: '2. Which field each column fills' }).waitFor();
  await page.getByLabel('Field for column “Groups”').selectOption('');
  await page
    .getByRole('heading', { name: '2. Which field each column fills' })
    .scrollIntoViewIfNeeded();
  await shoot(page, 'import-mapping');
  await page.getByRole('button', { name: 'Check with a dry run' }).click();
  const dryRun = page.getByRole('region', { name: 'Dry run result' });
  await dryRun.getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 });
  await dryRun.getByRole('table').waitFor();
  await dryRun.getByRole('table').scrollIntoViewIfNeeded();
  await shoot(page, 'import-dry-run');
  await page.getByRole('button', { name: 'Import customers' }).click();
  await page.getByRole('heading', { name: /^Import of/ }).waitFor();
  await page.getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 });
  await page.getByRole('table').waitFor();
  await shoot(page, 'import-report');
  await page.getByRole('link', { name: 'All imports' }).click();
  await page.locator('table[aria-busy="false"]').waitFor();
  await shoot(page, 'imports');

  // Duplicates and the merge chooser: two records of one person.
  const first = await client.post<Customer>('/crm/customers', {
    first_name: 'Philippa',
    last_name: 'Trevelyan',
    email: 'philippa.trevelyan@example.com',
    phone: '+44 20 7946 0321',
    company_name: 'Trevelyan Pilates',
  });
  const second = await client.post<Customer>('/crm/customers', {
    first_name: 'Pippa',
    last_name: 'Trevelyan-Hart',
    email: 'philippa.trevelyan@example.com',
    phone: '+44 7911 123321',
    job_title: 'Instructor',
    birthday: '1988-04-12',
  });
  expect([first.status, second.status]).toEqual([201, 201]);
  await page.goto(`${world.appUrl}duplicates?customer=${first.body.id}`);
  await page.getByRole('link', { name: 'Pippa Trevelyan-Hart' }).waitFor();
  await page.getByRole('checkbox').first().check();
  await shoot(page, 'duplicates');
  await page.getByRole('button', { name: /Compare and merge/ }).click();
  await page.getByRole('radiogroup', { name: 'Last name' }).waitFor();
  await page
    .getByRole('radiogroup', { name: 'Primary phone' })
    .getByRole('radio', { name: /Pippa/ })
    .check();
  await shoot(page, 'merge');

  const phoneMerge = await world.signedIn(token, { width: 390, height: 844 });
  await phoneMerge.goto(page.url());
  await phoneMerge.getByRole('radiogroup', { name: 'Last name' }).waitFor();
  await shoot(phoneMerge, 'merge-phone');

  // Settings, each section as an admin sees it.
  const settings = async (target: Page, path: string, title: string) => {
    await target.goto(`${world.appUrl}settings/${path}`);
    await target.getByRole('heading', { name: title, level: 1 }).waitFor();
    await target.locator('.state-loading').first().waitFor({ state: 'detached' });
  };
  await settings(page, 'custom-fields', 'Custom fields');
  await shoot(page, 'settings-custom-fields');
  await page.getByRole('button', { name: 'Add field' }).click();
  await page.getByLabel('Label', { exact: true }).fill('Preferred treatment room');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'One choice' });
  await page.getByLabel('Choice 1', { exact: true }).fill('Garden room');
  await page.getByLabel('Choice 2', { exact: true }).fill('Quiet room');
  await page.getByRole('heading', { name: 'Add a custom field' }).scrollIntoViewIfNeeded();
  await shoot(page, 'settings-custom-field-add');

  await page.goto(`${world.appUrl}customers/${star.id}`);
  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('group', { name: 'Custom fields' }).scrollIntoViewIfNeeded();
  await shoot(page, 'customer-edit-custom-fields');

  await settings(page, 'general', 'Locale and currency');
  await shoot(page, 'settings-locale');
  await settings(page, 'stages', 'Lifecycle stages');
  await shoot(page, 'settings-stages');
  await settings(page, 'tags', 'Tags');
  await shoot(page, 'settings-tags');
  await settings(page, 'tracking', 'Tracking');
  await shoot(page, 'settings-tracking');
  await settings(page, 'team', 'Team');
  await shoot(page, 'settings-team');

  await settings(dark, 'custom-fields', 'Custom fields');
  await shoot(dark, 'settings-custom-fields-dark');
  await settings(phone, 'tags', 'Tags');
  await shoot(phone, 'settings-phone');
});
