import type { Customer, CustomerImport, ImportRowError, Page as ApiPage } from '@crm/contracts';
import { createCustomer, newTenant, tokenFor, waitFor } from '@crm/testing';
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

function overflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

// Row 3 (the header is row 1) has an email the API refuses; "Contact" is not a name the
// page can guess, so the person maps it.
const CSV = [
  'First name,Last name,Contact,Member since',
  'Ottoline,Marchmont,ottoline.marchmont@example.com,2019',
  'Barnaby,Quill,not-an-email,2021',
  'Henrietta,Vossberg,henrietta.vossberg@example.com,2020',
  '',
].join('\r\n');

async function chooseCsv(page: Page, csv: string): Promise<void> {
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'customers.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByRole('heading', { name: '2. Which field each column fills' }).waitFor();
}

function mappingSelect(page: Page, column: string) {
  return page.getByLabel(`Field for column “${column}”`);
}

describe('importing customers from a CSV file', () => {
  it('imports a 3-row CSV with one bad row: the dry run names the row, the import creates the two good customers', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const page = await world.signedIn(token);

    await page.getByRole('link', { name: 'Imports' }).click();
    await page.getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    await page.getByText('No imports yet').waitFor();
    await page.getByRole('link', { name: 'New import' }).click();
    await page.getByRole('heading', { name: 'Import customers from a CSV file' }).waitFor();

    await chooseCsv(page, CSV);
    // Guessed from the header: the names; left for the person: the rest.
    expect(await mappingSelect(page, 'First name').inputValue()).toBe('first_name');
    expect(await mappingSelect(page, 'Last name').inputValue()).toBe('last_name');
    expect(await mappingSelect(page, 'Contact').inputValue()).toBe('');
    expect(await mappingSelect(page, 'Member since').inputValue()).toBe('');
    await mappingSelect(page, 'Contact').selectOption({ label: 'Email' });
    expect(await seriousViolations(page), 'new import with its mapping').toEqual([]);

    await page.getByRole('button', { name: 'Check with a dry run' }).click();
    const dryRun = page.getByRole('region', { name: 'Dry run result' });
    await dryRun.getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 });
    const errorRows = dryRun.getByRole('table').getByRole('row');
    await errorRows.nth(1).waitFor();
    expect(await errorRows.count()).toBe(2); // the header and one error
    const cells = await errorRows.nth(1).getByRole('cell').allInnerTexts();
    expect(cells[0]).toBe('3');
    expect(cells[1]).toContain('Email');
    expect(cells[1]).toContain('Contact');

    // The message is the API's own for that row.
    const imports = await client.get<ApiPage<CustomerImport>>('/crm/customers/imports');
    const dry = imports.body.data[0];
    expect(dry?.dry_run).toBe(true);
    const reported = await client.get<ApiPage<ImportRowError>>(
      `/crm/customers/imports/${dry?.id ?? ''}/errors`,
    );
    expect(reported.body.data.map((e) => [e.row, e.column])).toEqual([[3, 'Contact']]);
    expect(cells[2]).toBe(reported.body.data[0]?.message);
    expect(await dryRun.getByText('Would be created').locator('..').innerText()).toContain('2');
    expect(await dryRun.getByText('Rows with errors', { exact: true }).count()).toBeGreaterThan(0);
    // A dry run writes nothing.
    const none = await client.get<ApiPage<Customer>>('/crm/customers');
    expect(none.body.data).toEqual([]);
    expect(await seriousViolations(page), 'dry run report').toEqual([]);

    // The first answer about the real import says it is running, as a big file would: the
    // page shows the progress and keeps asking until the import has completed.
    let asked = 0;
    await page.route(/\/crm\/customers\/imports\/[0-9a-f-]{36}$/, async (route) => {
      asked += 1;
      const response = await route.fetch();
      const job = (await response.json()) as CustomerImport;
      const shown =
        asked === 1 ? { ...job, status: 'running', processed_rows: 1, finished_at: null } : job;
      await route.fulfill({ response, json: shown });
    });
    await page.getByRole('button', { name: 'Import customers' }).click();
    await page.waitForURL(/\/imports\/[0-9a-f-]{36}$/);
    await page.getByText('1 of 3 rows').waitFor();
    expect(await page.getByLabel('Rows imported').getAttribute('value')).toBe('1');
    await page.getByText('Completed', { exact: true }).waitFor({ timeout: 30_000 });
    expect(asked).toBeGreaterThan(1);
    await page.unroute(/\/crm\/customers\/imports\/[0-9a-f-]{36}$/);
    expect(await page.getByText('Created', { exact: true }).locator('..').innerText()).toContain(
      '2',
    );
    const report = page.getByRole('table');
    await report.getByRole('row').nth(1).waitFor();
    expect(await report.getByRole('row').nth(1).getByRole('cell').first().innerText()).toBe('3');
    expect(await seriousViolations(page), 'import report').toEqual([]);

    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Henrietta Vossberg' }).waitFor();
    expect(await page.getByRole('link', { name: 'Ottoline Marchmont' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Barnaby Quill' }).count()).toBe(0);
    expect(await page.getByText('ottoline.marchmont@example.com').count()).toBe(1);

    await page.getByRole('link', { name: 'Imports' }).click();
    const listed = page.getByRole('table').getByRole('row');
    await listed.nth(2).waitFor();
    expect(await listed.nth(1).innerText()).toContain('Import');
    expect(await listed.nth(2).innerText()).toContain('Dry run');
    expect(await seriousViolations(page), 'imports list').toEqual([]);
    await page.close();
  });

  it('says what is wrong with the mapping next to it, and refuses a file that is not UTF-8', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'manager');
    const page = await world.signedIn(token);
    await page.goto(`${world.appUrl}imports/new`);
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'latin1.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0x5a, 0x6f, 0xeb, 0x0a]),
    });
    await page.locator('#import-file-error').getByText('not UTF-8').waitFor();

    await chooseCsv(page, 'Name,Email\nAda,ada@example.com\n');
    await mappingSelect(page, 'Name').selectOption({ label: 'Email' });
    await page.getByRole('button', { name: 'Import customers' }).click();
    await page.getByText('Choose the column that holds the first name').waitFor();
    expect(await page.locator('#map-1-error').innerText()).toContain(
      'Email is already filled from “Name”',
    );
    expect(await mappingSelect(page, 'Email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('heading', { name: /Import of/ }).count()).toBe(0);
    await page.close();
  });
});

describe('duplicates and merge', () => {
  it('merges two duplicates choosing one field from each, and the survivor shows the values chosen', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const survivor = await createCustomer(client, {
      first_name: 'Rosamund',
      last_name: 'Pike-Tyler',
      email: 'rosamund@example.com',
      company_name: 'Tyler Florists',
    });
    const other = await createCustomer(client, {
      first_name: 'Rosamund',
      last_name: 'Tyler',
      email: 'ROSAMUND@example.com',
      company_name: 'Pike & Tyler Ltd',
      job_title: 'Head florist',
    });
    await waitFor(
      async () => {
        const r = await client.get<{ data: { id: string }[] }>('/crm/search?q=Rosamund');
        return r.body.data.length === 2;
      },
      { what: 'search to find both records', timeoutMs: 15_000 },
    );

    const page = await world.signedIn(token);
    await page.getByRole('link', { name: 'Duplicates' }).click();
    await page.getByText('Choose a customer to see its likely duplicates').waitFor();
    await page.getByLabel('Find a customer').fill('Rosamund');
    await page.getByLabel('Find a customer').press('Enter');
    await page.getByRole('link', { name: 'Rosamund Pike-Tyler' }).click();

    const suggestions = page.getByRole('table');
    const row = suggestions.getByRole('row', { name: /Rosamund Tyler/ });
    await row.waitFor();
    expect(await row.innerText()).toContain('Same email');
    expect(await row.innerText()).toContain('100 %');
    expect(await seriousViolations(page), 'duplicates').toEqual([]);
    await page.getByLabel('Merge Rosamund Tyler into Rosamund Pike-Tyler').check();
    await page.getByRole('button', { name: /Compare and merge/ }).click();

    await page.getByRole('heading', { name: 'Merge customers', level: 1 }).waitFor();
    const lastName = page.getByRole('radiogroup', { name: 'Last name' });
    await lastName.getByRole('radio', { name: 'Tyler from Rosamund Tyler' }).check();
    const company = page.getByRole('radiogroup', { name: 'Company' });
    expect(
      await company
        .getByRole('radio', { name: 'Tyler Florists from Rosamund Pike-Tyler' })
        .isChecked(),
    ).toBe(true);
    await company.getByRole('radio', { name: 'Pike & Tyler Ltd from Rosamund Tyler' }).check();
    // Keyboard: the arrow keys move the choice back to the survivor's value.
    await company.getByRole('radio', { checked: true }).press('ArrowLeft');
    expect(
      await company
        .getByRole('radio', { name: 'Tyler Florists from Rosamund Pike-Tyler' })
        .isChecked(),
    ).toBe(true);
    const preview = page.getByRole('region', { name: 'After the merge' });
    expect(await preview.innerText()).toContain('Tyler Florists');
    expect(await preview.innerText()).toContain('Head florist');
    expect(await seriousViolations(page), 'merge chooser').toEqual([]);

    const merged = page.waitForRequest((r) => r.url().endsWith(`/customers/${survivor.id}/merge`));
    await page.getByRole('button', { name: 'Merge 2 customers' }).click();
    await page.getByRole('button', { name: 'Confirm merge' }).click();
    const request = await merged;
    expect(request.headers()['if-match']).toBeDefined();
    expect(request.postDataJSON()).toMatchObject({
      merge_ids: [other.id],
      field_choices: { last_name: other.id, company_name: survivor.id },
    });
    await page.getByText('Merged 2 customers into one').waitFor();
    await page.getByRole('link', { name: 'Open Rosamund Tyler' }).click();

    await page.getByRole('heading', { name: 'Rosamund Tyler', level: 1 }).waitFor();
    expect(page.url()).toContain(survivor.id);
    await page.getByText('Head florist, Tyler Florists').waitFor();
    // The other record's id now answers with the survivor.
    const gone = await client.get<Customer>(`/crm/customers/${other.id}`);
    expect(gone.body.id).toBe(survivor.id);
    await page.close();
  });
});

describe('the new pages for each role and screen', () => {
  it('are shown only to the roles the API allows', async () => {
    const tenant = newTenant();
    const staff = await world.signedIn(await tokenFor(tenant, 'staff', { sub: 'staff-ivy' }));
    expect(await staff.getByRole('link', { name: 'Imports' }).count()).toBe(0);
    expect(await staff.getByRole('link', { name: 'Duplicates' }).count()).toBe(0);
    await staff.goto(`${world.appUrl}imports/new`);
    await staff.getByText('Your role may not import customers').waitFor();
    await staff.close();

    // A sales rep may look for duplicates but not merge them, nor import.
    const admin = world.client(await tokenFor(tenant, 'admin'));
    const mine = await createCustomer(admin, {
      first_name: 'Peregrine',
      last_name: 'Oakley',
      email: 'peregrine@example.com',
      owner_id: 'rep-sol',
    });
    await createCustomer(admin, {
      first_name: 'Perry',
      last_name: 'Oakley',
      email: 'peregrine@example.com',
      owner_id: 'rep-sol',
    });
    const rep = await world.signedIn(await tokenFor(tenant, 'sales_rep', { sub: 'rep-sol' }));
    expect(await rep.getByRole('link', { name: 'Imports' }).count()).toBe(0);
    await rep.goto(`${world.appUrl}duplicates?customer=${mine.id}`);
    await rep.getByRole('link', { name: 'Perry Oakley' }).waitFor();
    expect(await rep.getByRole('checkbox').count()).toBe(0);
    expect(await rep.getByRole('button', { name: /Compare and merge/ }).count()).toBe(0);
    await rep.close();
  });

  it('fit a phone and pass axe in the dark theme', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const a = await createCustomer(client, {
      first_name: 'Wilhelmina',
      last_name: 'Featherstonehaugh',
      email: 'wilhelmina.featherstonehaugh@example.com',
    });
    const b = await createCustomer(client, {
      first_name: 'Mina',
      last_name: 'Featherstonehaugh',
      email: 'wilhelmina.featherstonehaugh@example.com',
      company_name: 'Featherstonehaugh & Partners',
    });
    for (const options of [{ width: 375 }, { dark: true }]) {
      const page = await world.signedIn(token, options);
      const label = options.dark ? 'dark' : 'phone';
      await page.goto(`${world.appUrl}imports/new`);
      await chooseCsv(page, CSV);
      expect(await overflow(page), `new import, ${label}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), `new import, ${label}`).toEqual([]);

      await page.goto(`${world.appUrl}duplicates?customer=${a.id}`);
      await page.getByRole('link', { name: 'Mina Featherstonehaugh', exact: true }).waitFor();
      expect(await overflow(page), `duplicates, ${label}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), `duplicates, ${label}`).toEqual([]);

      await page.goto(`${world.appUrl}duplicates/merge?survivor=${a.id}&merge=${b.id}`);
      await page.getByRole('radiogroup', { name: 'First name' }).waitFor();
      expect(await overflow(page), `merge, ${label}`).toBeLessThanOrEqual(0);
      expect(await seriousViolations(page), `merge, ${label}`).toEqual([]);
      await page.close();
    }
  });
});
