import { readFileSync } from 'node:fs';
import type { Customer } from '@crm/contracts';
import { createCustomer, newTenant, tokenFor, type ApiClient } from '@crm/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './support/axe.js';
import { useConsole } from './support/world.js';

const world = useConsole();

/** Customers named so that their order by last name is known: Aardvark01 … */
async function createMany(client: ApiClient, count: number, vipEvery = 0): Promise<Customer[]> {
  const made: Customer[] = [];
  for (let start = 0; start < count; start += 9) {
    const batch = Array.from({ length: Math.min(9, count - start) }, (_, i) => start + i);
    made.push(
      ...(await Promise.all(
        batch.map((n) =>
          createCustomer(client, {
            first_name: 'Pat',
            last_name: `Aardvark${String(n + 1).padStart(2, '0')}`,
            vip_status: vipEvery > 0 && (n + 1) % vipEvery === 0,
          }),
        ),
      )),
    );
  }
  return made;
}

async function rowNames(page: Page): Promise<string[]> {
  return page.locator('table tbody tr .name-cell a').allInnerTexts();
}

describe('the customer list', () => {
  it('pages forward and back with the cursor, filters by VIP and sorts by name', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    await createMany(world.client(token), 27, 10);
    const page = await world.signedIn(token);

    await page.getByRole('button', { name: /^Name/ }).click();
    await page.locator('table[aria-busy="false"] th[aria-sort="ascending"]').waitFor();
    let names = await rowNames(page);
    expect(names).toHaveLength(25);
    expect(names[0]).toBe('Pat Aardvark01');
    expect(await page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe(
      'ascending',
    );

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    await page.getByRole('link', { name: 'Pat Aardvark01' }).waitFor({ state: 'detached' });
    names = await rowNames(page);
    expect(names).toEqual(['Pat Aardvark26', 'Pat Aardvark27']);
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1').waitFor();
    await page.getByRole('link', { name: 'Pat Aardvark01' }).waitFor();
    expect(await rowNames(page)).toHaveLength(25);

    await page.getByRole('button', { name: /^Name/ }).click();
    await page.locator('table[aria-busy="false"] th[aria-sort="descending"]').waitFor();
    expect((await rowNames(page))[0]).toBe('Pat Aardvark27');

    await page.getByLabel('VIP').selectOption('true');
    await page.getByRole('link', { name: 'Pat Aardvark27' }).waitFor({ state: 'detached' });
    await page.locator('table[aria-busy="false"]').waitFor();
    expect(await rowNames(page)).toEqual(['Pat Aardvark20', 'Pat Aardvark10']);
    expect(new URL(page.url()).searchParams.get('vip')).toBe('true');

    // The filters live in the URL: a reload keeps them.
    await page.reload();
    await page.getByRole('link', { name: 'Pat Aardvark20' }).waitFor();
    expect(await page.getByLabel('VIP').inputValue()).toBe('true');
    expect(await rowNames(page)).toHaveLength(2);
    await page.close();
  });

  it('says so when nothing matches, and when the list cannot be loaded', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const page = await world.signedIn(token);
    await page.getByText('No customers here yet').waitFor();

    await page.getByLabel('Search').fill('Zebediah');
    await page.getByLabel('Search').press('Enter');
    await page.getByText('No customer matches this search').waitFor();

    await page.route('**/crm/search?*', (route) =>
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
    await page.getByLabel('Search').fill('Zachariah');
    await page.getByLabel('Search').press('Enter');
    const alert = page.getByRole('alert');
    await alert.getByText('The customers could not be loaded').waitFor({ timeout: 15_000 });
    expect(await alert.innerText()).toContain('The profiles service is not answering');
    await page.close();
  });

  it('exports the customers as a CSV file fetched with the token, never a token in a link', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Evangeline',
      last_name: 'Thorne',
      email: 'evangeline.thorne@example.com',
    });
    const page = await world.signedIn(token);
    await page.getByRole('link', { name: 'Evangeline Thorne' }).waitFor();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await download;
    const path = await file.path();
    const csv = readFileSync(path, 'utf8');
    expect(csv).toContain('evangeline.thorne@example.com');
    expect(csv).toContain(customer.id);
    expect(file.suggestedFilename()).toMatch(/\.csv$/);
    expect(requests.some((url) => url.includes(token))).toBe(false);
    await page.close();
  });

  it('hides what the role may not do: a staff member gets no Edit and no export', async () => {
    const tenant = newTenant();
    const admin = world.client(await tokenFor(tenant, 'admin'));
    const staffSub = 'staff-kim';
    const customer = await createCustomer(admin, {
      first_name: 'Rosalind',
      last_name: 'Achterberg',
      owner_id: staffSub,
    });
    const token = await tokenFor(tenant, 'staff', { sub: staffSub });
    const page = await world.signedIn(token);
    await page.getByRole('link', { name: 'Rosalind Achterberg' }).waitFor();
    expect(await page.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    expect(await page.getByText('Staff', { exact: true }).count()).toBe(1);

    await page.getByRole('link', { name: 'Rosalind Achterberg' }).click();
    await page.getByRole('heading', { name: 'Rosalind Achterberg', level: 1 }).waitFor();
    await page.getByText('Bookings').waitFor();
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await page.getByRole('button', { name: 'Log interaction' }).waitFor();
    expect(customer.owner_id).toBe(staffSub);
    await page.close();
  });
});

describe('the console as a whole', () => {
  it('has no serious or critical accessibility findings on the list and the profile, light or dark', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Octavia',
      last_name: 'Brightwater',
      vip_status: true,
      company_name: 'Brightwater Spa',
    });
    for (const dark of [false, true]) {
      const page = await world.signedIn(token, { dark });
      await page.getByRole('link', { name: 'Octavia Brightwater' }).waitFor();
      expect(await seriousViolations(page), `list, ${dark ? 'dark' : 'light'}`).toEqual([]);

      await page.getByRole('link', { name: 'Octavia Brightwater' }).click();
      await page.getByRole('heading', { name: 'Octavia Brightwater', level: 1 }).waitFor();
      await page.getByText('Never').waitFor();
      expect(await seriousViolations(page), `profile, ${dark ? 'dark' : 'light'}`).toEqual([]);

      await page.getByRole('tab', { name: 'Timeline' }).click();
      await page.getByText('Profile created', { exact: true }).waitFor();
      await page.getByRole('button', { name: 'Edit' }).click();
      expect(
        await seriousViolations(page),
        `timeline and edit, ${dark ? 'dark' : 'light'}`,
      ).toEqual([]);
      await page.close();
    }
    expect(customer.vip_status).toBe(true);
  });

  it('runs under its Content-Security-Policy without a refusal, and deep links survive sign-in', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Leopold',
      last_name: 'Marchetti',
    });
    const errorsBefore = world.consoleErrors.length;
    const context = await world.context();
    const page = await context.newPage();
    const response = await page.goto(`${world.appUrl}customers/${customer.id}`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByRole('heading', { name: 'Sign in to Enhanced CRM' }).waitFor();
    await page.getByLabel('Access token').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Leopold Marchetti', level: 1 }).waitFor();

    // The token stays in this tab's session storage, never in the address.
    expect(page.url()).not.toContain(token);
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toContain(token);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Enhanced CRM' }).waitFor();
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).not.toContain(token);

    const refusals = world.consoleErrors
      .slice(errorsBefore)
      .filter((m) => /Content Security Policy|Refused to/i.test(m));
    expect(refusals).toEqual([]);
    await page.close();
  });

  it('refuses a pasted text that is not a token, in words next to the field', async () => {
    const page = await (await world.context()).newPage();
    await page.goto(world.appUrl);
    await page.getByLabel('Access token').fill('hello');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#token-error').getByText('not a token the CRM issues').waitFor();
    expect(await page.getByLabel('Access token').getAttribute('aria-invalid')).toBe('true');
    await page.close();
  });

  it('signs in with a demo token where the server gives one, and says when demo tokens are off', async () => {
    const page = await (await world.context()).newPage();
    await page.goto(world.appUrl);

    // Demo tokens are off: the route is not there.
    await page.route('**/crm/dev/token', (route) =>
      route.fulfill({
        status: 404,
        contentType: 'application/problem+json',
        body: '{"title":"Not found","status":404}',
      }),
    );
    await page.getByRole('button', { name: 'Use a demo token' }).click();
    await page.getByRole('alert').getByText('Demo tokens are off on this server').waitFor();

    // Demo tokens are on (the cluster's gateway signs them): the role chosen is asked for.
    await page.unroute('**/crm/dev/token');
    const asked = page.waitForRequest('**/crm/dev/token');
    await page.getByLabel('Demo role').selectOption('sales_rep');
    await page.getByRole('button', { name: 'Use a demo token' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect((await asked).postDataJSON()).toEqual({ role: 'sales_rep' });
    expect(await page.getByText('Sales rep', { exact: true }).count()).toBe(1);
    await page.close();
  });

  it('fits a phone screen: no sideways scrolling on the list and the profile', async () => {
    const tenant = newTenant();
    const token = await tokenFor(tenant, 'admin');
    const customer = await createCustomer(world.client(token), {
      first_name: 'Maximilian',
      last_name: 'Featherstonehaugh',
      email: 'maximilian.featherstonehaugh@example.com',
      company_name: 'Featherstonehaugh & Partners',
    });
    const page = await world.signedIn(token, { width: 375 });
    await page.getByRole('link', { name: 'Maximilian Featherstonehaugh' }).waitFor();
    const overflow = () =>
      page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.goto(`${world.appUrl}customers/${customer.id}`);
    await page.getByRole('heading', { name: 'Maximilian Featherstonehaugh', level: 1 }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await page.close();
  });
});
