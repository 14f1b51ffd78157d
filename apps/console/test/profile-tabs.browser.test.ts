import type { ConsentState, Customer, CustomerRelationships } from '@crm/contracts';
import { signDevToken } from '@crm/service-kit';
import { TEST_JWT_SECRET, createCustomer, newTenant, tokenFor, waitFor } from '@crm/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { useConsole } from './support/world.js';

const world = useConsole();

/** Waits until search finds the customer by these words, so the picker is not racing the index. */
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

async function openTab(page: Page, customer: Customer, tab: string): Promise<void> {
  await page.goto(`${world.appUrl}customers/${customer.id}`);
  await page
    .getByRole('heading', { name: `${customer.first_name} ${customer.last_name}`, level: 1 })
    .waitFor();
  await page.getByRole('tab', { name: tab }).click();
}

describe('the tabs of a customer profile', () => {
  it('relates two customers through the picker; both profiles show it, and removing takes it off both', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const florence = await createCustomer(client, {
      first_name: 'Florence',
      last_name: 'Ashgrove',
    });
    const reginald = await createCustomer(client, {
      first_name: 'Reginald',
      last_name: 'Ashgrove',
    });
    await searchable(token, 'Reginald', reginald.id);
    const page = await world.signedIn(token);
    await openTab(page, florence, 'Relationships');
    await page.getByText('No relationships yet').waitFor();
    await page.getByText('Florence Ashgrove is not in a household.').waitFor();

    await page.getByRole('button', { name: 'Add relationship' }).click();
    // The picker searches as one types, with a small typo, and is worked with the keyboard.
    await page.getByRole('combobox', { name: 'Related customer' }).fill('Reginld');
    await page.getByRole('option', { name: /Reginald Ashgrove/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByText('Related customer:').waitFor();
    await page.getByLabel('They are Florence Ashgrove’s').selectOption('sibling');
    await page.getByLabel('Note (optional)').fill('Twins');
    await page.getByRole('button', { name: 'Add relationship' }).click();

    const list = page.getByRole('list', { name: 'Relationships of Florence Ashgrove' });
    await list.getByRole('link', { name: 'Reginald Ashgrove' }).waitFor();
    expect(await list.innerText()).toContain('Sibling');
    expect(await list.innerText()).toContain('Twins');

    // The other side lists the inverse, and removing it there takes it off both.
    await list.getByRole('link', { name: 'Reginald Ashgrove' }).click();
    await page.getByRole('heading', { name: 'Reginald Ashgrove', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Relationships' }).click();
    const theirs = page.getByRole('list', { name: 'Relationships of Reginald Ashgrove' });
    await theirs.getByRole('link', { name: 'Florence Ashgrove' }).waitFor();
    await theirs
      .getByRole('button', { name: /Remove the relationship with Florence Ashgrove/ })
      .click();
    await theirs.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByText('No relationships yet').waitFor();
    const left = await client.get<CustomerRelationships>(
      `/crm/customers/${florence.id}/relationships`,
    );
    expect(left.body.data).toEqual([]);
    await page.close();
  });

  it('makes a household, adds a member with the picker and dissolves it', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'manager');
    const client = world.client(token);
    const mum = await createCustomer(client, { first_name: 'Harriet', last_name: 'Pemberton' });
    const son = await createCustomer(client, { first_name: 'Oliver', last_name: 'Pemberton' });
    const aunt = await createCustomer(client, { first_name: 'Cressida', last_name: 'Vane' });
    await searchable(token, 'Oliver Pemberton', son.id);
    await searchable(token, 'Cressida', aunt.id);
    const page = await world.signedIn(token);
    await openTab(page, mum, 'Relationships');

    await page.getByRole('button', { name: 'Make a household' }).click();
    expect(await page.getByLabel('Name').inputValue()).toBe('Pemberton household');
    await page.getByRole('combobox', { name: 'Add another member' }).fill('Oliver Pem');
    await page.getByRole('option', { name: /Oliver Pemberton/ }).click();
    await page.getByText('Members: Harriet Pemberton, Oliver Pemberton').waitFor();
    await page.getByRole('button', { name: 'Make household' }).click();

    const members = page.getByRole('list', { name: 'Members of Pemberton household' });
    await members.getByRole('link', { name: 'Oliver Pemberton' }).waitFor();
    await page.getByRole('combobox', { name: 'Add a member' }).fill('Cressida');
    await page.getByRole('option', { name: /Cressida Vane/ }).click();
    await members.getByRole('link', { name: 'Cressida Vane' }).waitFor();
    expect(await members.getByRole('listitem').count()).toBe(3);

    await page
      .getByRole('button', { name: /Remove Cressida Vane from Pemberton household/ })
      .click();
    await members.getByRole('link', { name: 'Cressida Vane' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Dissolve household' }).click();
    await page.getByRole('button', { name: 'Dissolve', exact: true }).click();
    await page.getByText('Harriet Pemberton is not in a household.').waitFor();
    const after = await client.get<CustomerRelationships>(`/crm/customers/${son.id}/relationships`);
    expect(after.body.household).toBeNull();
    await page.close();
  });

  it('records a consent given and then withdrawn; the ledger keeps both, newest first', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'sales_rep', { sub: 'rep-ines' });
    const admin = world.client(await tokenFor(tenant, 'admin'));
    const customer = await createCustomer(admin, {
      first_name: 'Ines',
      last_name: 'Castellano',
      owner_id: 'rep-ines',
    });
    const page = await world.signedIn(token);
    await openTab(page, customer, 'Consent');
    const now = page.getByRole('table', { name: 'Consent per channel and purpose' });
    const emailMarketing = now.getByRole('row', { name: /^Email Marketing/ });
    await emailMarketing.getByText('Never asked').waitFor();
    await page.getByText('Nothing recorded yet').waitFor();

    await emailMarketing.getByRole('button', { name: 'Grant Marketing by Email' }).click();
    await page
      .getByRole('heading', { name: 'Record that Ines Castellano agrees to marketing by Email' })
      .waitFor();
    await page.getByLabel('How they said so').selectOption('in_person');
    await page.getByLabel('Note (optional)').fill('Signed up at the front desk');
    await page.getByRole('button', { name: 'Record consent' }).click();
    await emailMarketing.getByText('Granted').waitFor();

    await emailMarketing.getByRole('button', { name: 'Withdraw Marketing by Email' }).click();
    await page.getByRole('button', { name: 'Record withdrawal' }).click();
    await emailMarketing.getByText('Withdrawn').waitFor();

    const history = page.getByRole('table', { name: 'Consent records, newest first' });
    await expect.poll(() => history.locator('tbody tr').count()).toBe(2);
    const [newest, oldest] = await history.locator('tbody tr').allInnerTexts();
    expect(newest).toContain('Withdrawn');
    expect(oldest).toContain('Granted');
    expect(oldest).toContain('In person');
    expect(oldest).toContain('Signed up at the front desk');
    const stored = await admin.get<ConsentState>(`/crm/customers/${customer.id}/consent`);
    expect(
      stored.body.consents.find((c) => c.channel === 'email' && c.purpose === 'marketing')?.granted,
    ).toBe(false);
    // A sales rep has no audit trail to read.
    expect(await page.getByRole('tab', { name: 'Audit' }).count()).toBe(0);
    await page.close();
  });

  it('a sales rep opens an opportunity, moves it on, is told why losing needs a reason, and wins it', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'sales_rep', { sub: 'rep-otto' });
    const admin = world.client(await tokenFor(tenant, 'admin'));
    const customer = await createCustomer(admin, {
      first_name: 'Theodora',
      last_name: 'Blackwood',
      owner_id: 'rep-otto',
    });
    // A first opportunity is in the tenant's currency.
    const settings = await admin.put('/crm/settings/tenant', {
      locale: 'en-GB',
      timezone: 'UTC',
      currency: 'EUR',
    });
    expect(settings.status).toBe(200);
    const page = await world.signedIn(token);
    await openTab(page, customer, 'Opportunities');
    await page.getByText('No opportunities yet').waitFor();

    await page.getByRole('button', { name: 'Add opportunity' }).click();
    await page.getByLabel('Title').fill('Spring retreat for the team');
    await page.getByLabel('Value').fill('1250');
    expect(await page.getByLabel('Currency').inputValue()).toBe('EUR');
    await page.getByLabel('Expected to close (optional)').fill('2026-09-30');
    await page.getByRole('button', { name: 'Add opportunity' }).click();

    const list = page.getByRole('list', { name: 'Opportunities, newest first' });
    const item = list.getByRole('listitem').filter({ hasText: 'Spring retreat for the team' });
    await item.waitFor();
    // Money and dates through the formatters, in the browser's locale (en-GB here).
    expect(await item.innerText()).toContain('€1,250.00');
    expect(await item.innerText()).toContain('30 Sept 2026');
    expect(await item.innerText()).toContain('Qualification');

    await item.getByRole('button', { name: 'Edit Spring retreat for the team' }).click();
    await page.getByLabel('Stage').selectOption({ label: 'Proposal' });
    await page.getByLabel('Value').fill('1400.50');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await item.getByText('€1,400.50').waitFor();
    expect(await item.innerText()).toContain('Proposal');

    await item.getByRole('button', { name: /Mark as lost/ }).click();
    await item.getByRole('button', { name: 'Mark as lost', exact: true }).click();
    const reason = item.getByLabel('Why was it lost?');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    expect((await item.locator('.field-error').innerText()).length).toBeGreaterThan(3);
    await page.getByRole('button', { name: 'Cancel' }).click();

    await item.getByRole('button', { name: /Mark as won/ }).click();
    await item.getByText('Won', { exact: true }).waitFor();
    expect(await item.innerText()).toContain('Closed');
    await page.close();
  });

  it('shows an admin the audit trail of a change: who, when, which field, from and to', async () => {
    const tenant = newTenant();
    const token = await signDevToken({
      secret: TEST_JWT_SECRET,
      tenant,
      role: 'admin',
      sub: 'dana',
      name: 'Dana Whitfield',
    });
    const client = world.client(token);
    const customer = await createCustomer(client, {
      first_name: 'Barnaby',
      last_name: 'Quill',
      job_title: 'Gardener',
    });
    const changed = await client.patch(`/crm/customers/${customer.id}`, {
      job_title: 'Head Gardener',
      vip_status: true,
    });
    expect(changed.status).toBe(200);
    const page = await world.signedIn(token);
    await openTab(page, customer, 'Audit');
    const table = page.getByRole('table', { name: 'Changes to the profile, newest first' });
    const job = table
      .getByRole('row')
      .filter({ hasText: 'Job title' })
      .filter({ hasText: 'Head Gardener' });
    await job.waitFor();
    const text = await job.innerText();
    expect(text).toContain('Dana Whitfield');
    expect(text).toContain('Gardener');
    expect(text).toContain('PATCH');

    await page.getByLabel('Only changes of the field').fill('vip_status');
    await page.getByRole('button', { name: 'Show' }).click();
    await table.getByText('Job title').first().waitFor({ state: 'detached' });
    const vip = await table.locator('tbody tr').allInnerTexts();
    expect(vip).toHaveLength(1);
    expect(vip[0]).toContain('Vip status');
    expect(vip[0]).toContain('yes');
    await page.close();
  });

  it('assigns an owner and a collaborator with the directory pickers, and says why the API refused a member', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    for (const member of [
      { id: 'kim', name: 'Kim Okafor', role: 'staff' },
      { id: 'lee', name: 'Lee Fairweather', role: 'sales_rep' },
    ]) {
      expect((await client.post('/crm/team/members', member)).status).toBe(201);
    }
    const customer = await createCustomer(client, { first_name: 'Agnes', last_name: 'Holloway' });
    const page = await world.signedIn(token);
    await openTab(page, customer, 'Overview');
    await page.getByRole('button', { name: 'Edit' }).click();
    // Whoever created the customer owns it until another owner is chosen.
    await page.getByRole('combobox', { name: 'Change the owner' }).fill('kim');
    await page.getByRole('option', { name: /Kim Okafor/ }).click();
    await page.getByRole('combobox', { name: 'Add a collaborator' }).click();
    await page.getByRole('option', { name: /Lee Fairweather/ }).click();
    await page.getByRole('list', { name: 'Collaborators' }).getByText('Lee Fairweather').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Edit customer' }).waitFor({ state: 'detached' });

    const details = page.locator('dl.details').first();
    await details.getByText('Kim Okafor').waitFor();
    await details.getByText('Lee Fairweather').waitFor();
    const stored = await client.get<Customer>(`/crm/customers/${customer.id}`);
    expect(stored.body.owner_id).toBe('kim');
    expect(stored.body.collaborator_ids).toEqual(['lee']);

    // Where the directory no longer has the member, the API refuses the assignment with 422.
    await page.route(`**/crm/customers/${customer.id}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 422,
            contentType: 'application/problem+json',
            body: JSON.stringify({
              type: 'about:blank',
              title: 'Validation failed',
              status: 422,
              code: 'validation_failed',
              detail: 'Customers are assigned to active members of the staff directory',
              errors: [
                {
                  field: 'collaborator_ids.0',
                  code: 'unknown_member',
                  message: 'lee is deactivated in the staff directory',
                },
              ],
            }),
          })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Remove owner' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    const error = page.locator('#edit-collaborator_ids-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(
      'lee is deactivated in the staff directory: choose an active member of the staff directory.',
    );
    expect(
      await page.getByRole('combobox', { name: 'Add a collaborator' }).getAttribute('aria-invalid'),
    ).toBe('true');
    await page.close();
  });

  for (const dark of [false, true]) {
    it(`has no serious accessibility findings on the new tabs, ${dark ? 'dark' : 'light'}`, async () => {
      const tenant = newTenant();
      const token = await tokenFor(tenant, 'admin');
      const customer = await richCustomer(token);
      const page = await world.signedIn(token, { dark });
      for (const [tab, shows] of Object.entries(READY)) {
        await openTab(page, customer, tab);
        await page.getByRole('tabpanel').getByText(shows).first().waitFor();
        expect(await seriousViolations(page), tab).toEqual([]);
      }
      await page.close();
    });
  }

  it('fits the new tabs on a phone: no sideways scrolling', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await richCustomer(token);
    const phone = await world.signedIn(token, { width: 375 });
    for (const [tab, shows] of Object.entries(READY)) {
      await openTab(phone, customer, tab);
      await phone.getByRole('tabpanel').getByText(shows).first().waitFor();
      const overflow = await phone.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `${tab} on a phone`).toBeLessThanOrEqual(0);
    }
    await phone.close();
  });
});

/** What each new tab shows of the customer richCustomer makes, once it has loaded. */
const READY: Record<string, string> = {
  Relationships: 'Lucinda Fairbanks',
  Consent: 'On the booking form',
  Opportunities: 'Annual membership',
  Audit: 'Lead Architect',
};

/** A customer with something on every new tab: a spouse and household, a consent, an opportunity, a change. */
async function richCustomer(token: string): Promise<Customer> {
  const client = world.client(token);
  const customer = await createCustomer(client, {
    first_name: 'Octavius',
    last_name: 'Fairbanks-Whitmore',
    job_title: 'Architect',
  });
  const other = await createCustomer(client, { first_name: 'Lucinda', last_name: 'Fairbanks' });
  const answers = [
    await client.post(`/crm/customers/${customer.id}/relationships`, {
      related_customer_id: other.id,
      type: 'spouse',
    }),
    await client.post('/crm/households', {
      name: 'Fairbanks household',
      member_ids: [customer.id, other.id],
    }),
    await client.post(`/crm/customers/${customer.id}/consent`, {
      channel: 'sms',
      purpose: 'transactional',
      granted: true,
      source: 'booking_form',
    }),
    await client.post(`/crm/customers/${customer.id}/opportunities`, {
      title: 'Annual membership',
      value: { amount_minor: 89000, currency: 'EUR' },
    }),
    await client.patch(`/crm/customers/${customer.id}`, { job_title: 'Lead Architect' }),
  ];
  expect(answers.map((r) => r.status)).toEqual([201, 201, 201, 201, 200]);
  return customer;
}
