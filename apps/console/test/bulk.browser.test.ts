import { readFileSync } from 'node:fs';
import type { Customer, Page as ApiPage } from '@crm/contracts';
import { createCustomer, newTenant, tokenFor, type ApiClient } from '@crm/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { useConsole } from './support/world.js';

const world = useConsole();

/** Customers named `Pat <prefix>01` …, created nine at a time. */
async function createNamed(
  client: ApiClient,
  prefix: string,
  count: number,
  fields: Record<string, unknown> = {},
): Promise<Customer[]> {
  const made: Customer[] = [];
  for (let start = 0; start < count; start += 9) {
    const batch = Array.from({ length: Math.min(9, count - start) }, (_, i) => start + i + 1);
    made.push(
      ...(await Promise.all(
        batch.map((n) =>
          createCustomer(client, {
            first_name: 'Pat',
            last_name: `${prefix}${String(n).padStart(2, '0')}`,
            ...fields,
          }),
        ),
      )),
    );
  }
  return made;
}

async function createTag(client: ApiClient, name: string): Promise<void> {
  const r = await client.post('/crm/tags', { name });
  expect(r.status).toBe(201);
}

/** The rows the table shows now: each name with its tags. */
async function rows(page: Page): Promise<{ name: string; tags: string[] }[]> {
  await page.locator('table[aria-busy="false"]').waitFor();
  const found: { name: string; tags: string[] }[] = [];
  for (const row of await page.locator('table tbody tr').all()) {
    const name = await row.getByRole('link').innerText();
    const tags = await row.getByRole('list', { name: `Tags of ${name}` }).count();
    found.push({
      name,
      tags: tags > 0 ? await row.getByRole('listitem').allInnerTexts() : [],
    });
  }
  return found;
}

async function idsWithTag(client: ApiClient, tag: string): Promise<string[]> {
  const filter = encodeURIComponent(JSON.stringify({ field: 'tags', op: 'contains', value: tag }));
  const r = await client.get<ApiPage<Customer>>(`/crm/customers?limit=200&filter=${filter}`);
  expect(r.status).toBe(200);
  return r.body.data.map((c) => c.id).sort();
}

describe('bulk actions on the customer list', () => {
  it('bulk-tags a filter: every VIP across pages, and the list then shows the tag on exactly those', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    await createTag(client, 'gala');
    const vips = await createNamed(client, 'Vip', 28, { vip_status: true });
    const plain = await createNamed(client, 'Plain', 4);
    const page = await world.signedIn(token);

    await page.getByLabel('VIP', { exact: true }).selectOption('true');
    await page.getByRole('link', { name: 'Pat Plain04' }).waitFor({ state: 'detached' });
    expect(await rows(page)).toHaveLength(25);

    await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
    const bar = page.getByRole('region', { name: 'Selected customers' });
    await bar.getByText('25 customers selected').waitFor();
    await bar.getByRole('button', { name: 'Select all customers that match the filter' }).click();
    await bar.getByText('All 28 customers that match the filter are selected').waitFor();

    await bar.getByRole('button', { name: 'Tag…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tag the selected customers' });
    await dialog.getByLabel('Tag', { exact: true }).selectOption('gala');
    await dialog.getByText('Add the tag “gala” to 28 customers?').waitFor();
    await dialog.getByRole('button', { name: 'Tag 28 customers' }).click();
    await page.getByText('Added the tag “gala” to 28 customers.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    expect(await bar.count()).toBe(0);

    // Every VIP row on both pages carries the tag now.
    await page.getByRole('list', { name: 'Tags of Pat Vip28' }).getByText('gala').waitFor();
    const first = await rows(page);
    expect(first).toHaveLength(25);
    expect(first.every((r) => r.tags.includes('gala'))).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    const second = await rows(page);
    expect(second).toHaveLength(3);
    expect([...first, ...second].map((r) => r.name).sort()).toEqual(
      vips.map((c) => `Pat ${c.last_name}`).sort(),
    );
    expect(second.every((r) => r.tags.includes('gala'))).toBe(true);

    // And no one else does.
    await page.getByLabel('VIP', { exact: true }).selectOption('false');
    await page.getByRole('link', { name: 'Pat Plain01' }).waitFor();
    const others = await rows(page);
    expect(others.map((r) => r.name).sort()).toEqual(plain.map((c) => `Pat ${c.last_name}`).sort());
    expect(others.every((r) => r.tags.length === 0)).toBe(true);
    expect(await idsWithTag(client, 'gala')).toEqual(vips.map((c) => c.id).sort());
    await page.close();
  });

  it('moves ticked rows to a stage and assigns them an owner from the staff directory', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const made = await createNamed(client, 'Row', 4);
    expect(
      (await client.post('/crm/team/members', { id: 'kim', name: 'Kim Okafor', role: 'staff' }))
        .status,
    ).toBe(201);
    const page = await world.signedIn(token);
    await page.getByRole('link', { name: 'Pat Row04' }).waitFor();

    await page.getByRole('checkbox', { name: 'Select Pat Row01' }).check();
    await page.getByRole('checkbox', { name: 'Select Pat Row03' }).check();
    // Two of four ticked: the header box is half-ticked.
    expect(
      await page.evaluate<boolean>(
        `document.querySelector('input[aria-label="Select all customers on this page"]').indeterminate`,
      ),
    ).toBe(true);
    const bar = page.getByRole('region', { name: 'Selected customers' });
    await bar.getByText('2 customers selected').waitFor();
    // The whole list is on this page: there is nothing more to select.
    expect(await bar.getByRole('button', { name: /match the filter/ }).count()).toBe(0);

    await bar.getByRole('button', { name: 'Set stage…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Set the stage of the selected customers' });
    await dialog.getByLabel('Stage').selectOption({ label: 'Loyal' });
    await dialog.getByText('Move 2 customers to the stage Loyal?').waitFor();
    await dialog.getByRole('button', { name: 'Move 2 customers' }).click();
    await page.getByText('Moved 2 customers to the stage Loyal.').waitFor();
    const stageOf = (name: string) =>
      page.getByRole('row', { name: new RegExp(name) }).locator('td[data-label="Stage"]');
    await expect.poll(() => stageOf('Pat Row01').innerText()).toBe('Loyal');
    expect(await stageOf('Pat Row03').innerText()).toBe('Loyal');
    expect(await stageOf('Pat Row02').innerText()).not.toBe('Loyal');

    await page.getByRole('checkbox', { name: 'Select Pat Row02' }).check();
    await bar.getByRole('button', { name: 'Assign owner…' }).click();
    dialog = page.getByRole('dialog', { name: 'Assign the selected customers' });
    await dialog.getByRole('combobox', { name: 'Owner' }).fill('Kim');
    await dialog.getByRole('option', { name: /Kim Okafor/ }).click();
    await dialog.getByText('Make Kim Okafor the owner of 1 customer?').waitFor();
    await dialog.getByRole('button', { name: 'Assign 1 customer' }).click();
    await page.getByText('Assigned 1 customer to Kim Okafor.').waitFor();

    const row2 = made.find((c) => c.last_name === 'Row02');
    const stored = await client.get<Customer>(`/crm/customers/${row2?.id ?? ''}`);
    expect(stored.body.owner_id).toBe('kim');
    await page.close();
  });

  it('exports the filtered rows: the downloaded CSV holds exactly the VIPs', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    const vips = await createNamed(client, 'Gold', 3, { vip_status: true });
    const plain = await createNamed(client, 'Tin', 2);
    const page = await world.signedIn(token);
    await page.getByLabel('VIP', { exact: true }).selectOption('true');
    await page.getByRole('link', { name: 'Pat Tin01' }).waitFor({ state: 'detached' });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync(await (await download).path(), 'utf8');
    const [head = '', ...lines] = csv.trim().split(/\r?\n/);
    const idColumn = head.split(',').indexOf('id');
    expect(idColumn).toBeGreaterThanOrEqual(0);
    const ids = lines.map((line) => line.split(',')[idColumn]).sort();
    expect(ids).toEqual(vips.map((c) => c.id).sort());
    expect(csv).not.toContain(plain[0]?.id ?? 'none');
    expect(await page.getByText(/The export applies status, stage and VIP/).count()).toBe(0);

    // A tag filter the export cannot apply is said beside the button.
    await page.getByLabel('Tags').fill('gala');
    await page.getByLabel('Tags').press('Enter');
    await page.getByText('The export applies status, stage and VIP; it leaves out tags.').waitFor();
    await page.close();
  });

  it('has no serious accessibility findings with rows selected and the dialog open, light or dark', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const client = world.client(token);
    await createTag(client, 'spring');
    await createNamed(client, 'Axe', 3, { vip_status: true });
    for (const dark of [false, true]) {
      const page = await world.signedIn(token, { dark });
      await page.getByLabel('VIP', { exact: true }).selectOption('true');
      await page.getByRole('link', { name: 'Pat Axe03' }).waitFor();
      await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
      await page.getByText('3 customers selected').waitFor();
      expect(await seriousViolations(page), `selected, ${dark ? 'dark' : 'light'}`).toEqual([]);
      await page.getByRole('button', { name: 'Tag…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Tag the selected customers' });
      await dialog.getByLabel('Tag', { exact: true }).selectOption('spring');
      expect(await seriousViolations(page), `dialog, ${dark ? 'dark' : 'light'}`).toEqual([]);
      // Escape closes the dialog and gives the focus back to the button that opened it.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(
        await page.evaluate<string | undefined>('document.activeElement?.textContent'),
      ).toContain('Tag…');
      await page.close();
    }
  });
});
