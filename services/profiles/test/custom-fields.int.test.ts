import type { CloudEvent, Customer, CustomFieldDefinition, Problem } from '@crm/contracts';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, waitFor } from '@crm/testing';
import { choices, useProfiles } from './fixtures.js';

const { svc, bus, defineField: define, defineFields } = useProfiles();

/** One field of every type, each with a rule. */
function defineAll(admin: string) {
  return defineFields(
    admin,
    { field_name: 'nickname', field_type: 'text', validation: { pattern: '^[A-Za-z]+$', max: 20 } },
    { field_name: 'bio', field_type: 'textarea', validation: { min: 3 } },
    { field_name: 'visits', field_type: 'number', validation: { min: 0, max: 1000 } },
    { field_name: 'shoe_size', field_type: 'decimal', validation: { min: 30, max: 50 } },
    { field_name: 'budget', field_type: 'currency', validation: { currency: 'EUR', max: 100000 } },
    { field_name: 'member_since', field_type: 'date', validation: { min: '2000-01-01' } },
    { field_name: 'last_call', field_type: 'datetime' },
    { field_name: 'newsletter', field_type: 'boolean' },
    { field_name: 'colour', field_type: 'select', field_options: choices('red', 'blue', 'green') },
    {
      field_name: 'interests',
      field_type: 'multiselect',
      field_options: choices('red', 'blue', 'green'),
      validation: { max: 2 },
    },
    { field_name: 'work_email', field_type: 'email' },
    { field_name: 'work_phone', field_type: 'phone' },
    { field_name: 'portfolio', field_type: 'url' },
  );
}

describe('custom field definitions', () => {
  it('defines, lists in order, changes with If-Match, reorders and deletes, publishing each change', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const listener = await bus.listen('crm.events', 'crm.custom_field.#');
    const a = await define(admin, { field_name: 'allergies', field_type: 'textarea' });
    const b = await define(admin, {
      field_name: 'hair_type',
      field_label: 'Hair type',
      field_type: 'select',
      field_options: choices('straight', 'curly'),
      is_required: false,
    });
    expect(a.display_order).toBe(0);
    expect(b.display_order).toBe(1);
    expect(b.is_active).toBe(true);

    const patched = await api(svc.url)
      .as(admin)
      .patch<CustomFieldDefinition>(
        `/crm/custom-fields/${b.id}`,
        { field_label: 'Hair', is_active: false },
        { headers: { 'if-match': '"1"' } },
      );
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    const stale = await api(svc.url)
      .as(admin)
      .patch<Problem>(
        `/crm/custom-fields/${b.id}`,
        { field_label: 'Hair again' },
        { headers: { 'if-match': '"1"' } },
      );
    expect(stale.status).toBe(412);
    const typeChange = await api(svc.url)
      .as(admin)
      .patch<Problem>(`/crm/custom-fields/${b.id}`, { field_type: 'text' });
    expect(typeChange.status).toBe(422);
    expect(typeChange.body.errors?.[0]).toMatchObject({
      field: 'field_type',
      code: 'unrecognized_key',
    });

    const active = await api(svc.url)
      .as(admin)
      .get<{ data: CustomFieldDefinition[] }>('/crm/custom-fields');
    expect(active.body.data.map((d) => d.field_name)).toEqual(['allergies']);
    const all = await api(svc.url)
      .as(admin)
      .get<{ data: CustomFieldDefinition[] }>('/crm/custom-fields?include_inactive=true');
    expect(all.body.data.map((d) => d.field_name)).toEqual(['allergies', 'hair_type']);

    const reordered = await api(svc.url)
      .as(admin)
      .post<{ data: CustomFieldDefinition[] }>('/crm/custom-fields/reorder', {
        field_ids: [b.id, a.id],
      });
    expect(reordered.status).toBe(200);
    expect(reordered.body.data.map((d) => [d.field_name, d.display_order])).toEqual([
      ['hair_type', 0],
      ['allergies', 1],
    ]);
    const partial = await api(svc.url)
      .as(admin)
      .post<Problem>('/crm/custom-fields/reorder', { field_ids: [b.id] });
    expect(partial.status).toBe(422);
    expect(partial.body.errors?.[0]?.code).toBe('not_a_permutation');

    expect((await api(svc.url).as(admin).delete(`/crm/custom-fields/${a.id}`)).status).toBe(204);
    expect((await api(svc.url).as(admin).get(`/crm/custom-fields/${a.id}`)).status).toBe(404);

    const events = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.tenantid === tenant)).then(
          (l) => l.length >= 6 && l,
        ),
      { what: 'definition events' },
    );
    expect(
      events.map((e) => [e.type, (e.data as { field: CustomFieldDefinition }).field.field_name]),
    ).toEqual([
      ['crm.custom_field.created.v1', 'allergies'],
      ['crm.custom_field.created.v1', 'hair_type'],
      ['crm.custom_field.updated.v1', 'hair_type'],
      ['crm.custom_field.updated.v1', 'hair_type'],
      ['crm.custom_field.updated.v1', 'allergies'],
      ['crm.custom_field.deleted.v1', 'allergies'],
    ]);
    await listener.close();
  });

  it('refuses definitions whose options, bounds or patterns do not fit the type', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ field_type: 'select' }, 'field_options', 'options_required'],
      [
        { field_type: 'text', field_options: [{ value: 'a', label: 'A' }] },
        'field_options',
        'options_not_allowed',
      ],
      [
        {
          field_type: 'multiselect',
          field_options: [
            { value: 'a', label: 'A' },
            { value: 'a', label: 'B' },
          ],
        },
        'field_options.1.value',
        'duplicate',
      ],
      [
        { field_type: 'text', validation: { pattern: '([a-z' } },
        'validation.pattern',
        'invalid_pattern',
      ],
      [
        { field_type: 'number', validation: { pattern: '^1' } },
        'validation.pattern',
        'pattern_not_allowed',
      ],
      [
        { field_type: 'number', validation: { min: 10, max: 1 } },
        'validation.min',
        'min_above_max',
      ],
      [
        { field_type: 'date', validation: { min: '2020-13-01' } },
        'validation.min',
        'invalid_bound',
      ],
      [{ field_type: 'text', validation: { max: 100000 } }, 'validation.max', 'invalid_bound'],
      [{ field_type: 'boolean', validation: { min: 1 } }, 'validation.min', 'bound_not_allowed'],
      [
        { field_type: 'text', validation: { currency: 'EUR' } },
        'validation.currency',
        'currency_not_allowed',
      ],
      [{ field_type: 'text', validation: { step: 2 } }, 'validation.step', 'unrecognized_key'],
      [{ field_type: 'colour' }, 'field_type', 'invalid_value'],
      [{ field_type: 'text', field_name: 'Bad Name' }, 'field_name', 'invalid_format'],
    ];
    for (const [body, field, code] of cases) {
      const r = await api(svc.url)
        .as(admin)
        .post<Problem>('/crm/custom-fields', { field_name: 'f1', field_label: 'F', ...body });
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(r.body.errors, JSON.stringify(body)).toContainEqual(
        expect.objectContaining({ field, code }),
      );
    }
    const none = await api(svc.url)
      .as(admin)
      .get<{ data: unknown[] }>('/crm/custom-fields?include_inactive=true');
    expect(none.body.data).toEqual([]);
    await define(admin, { field_name: 'f1', field_type: 'text' });
    const dup = await api(svc.url).as(admin).post<Problem>('/crm/custom-fields', {
      field_name: 'f1',
      field_label: 'Again',
      field_type: 'number',
    });
    expect(dup.status).toBe(409);
  });

  it('enforces max_custom_fields (50 by default)', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    for (let i = 0; i < 50; i += 1)
      await define(admin, { field_name: `f${i}`, field_type: 'text' });
    const over = await api(svc.url).as(admin).post<Problem>('/crm/custom-fields', {
      field_name: 'one_more',
      field_label: 'x',
      field_type: 'text',
    });
    expect(over.status).toBe(409);
    expect(over.body.detail).toContain('max_custom_fields = 50');
  });

  it('is for admins to change and staff to read; other tenants see nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const field = await define(admin, { field_name: 'x', field_type: 'text' });
    const body = { field_name: 'y', field_label: 'Y', field_type: 'text' };
    for (const role of ['manager', 'staff', 'sales_rep', 'customer'] as const) {
      const token = await tokenFor(tenant, role);
      expect((await api(svc.url).as(token).post('/crm/custom-fields', body)).status, role).toBe(
        403,
      );
      expect(
        (await api(svc.url).as(token).patch(`/crm/custom-fields/${field.id}`, { field_label: 'z' }))
          .status,
        role,
      ).toBe(403);
      expect(
        (await api(svc.url).as(token).delete(`/crm/custom-fields/${field.id}`)).status,
        role,
      ).toBe(403);
      expect(
        (
          await api(svc.url)
            .as(token)
            .post('/crm/custom-fields/reorder', { field_ids: [field.id] })
        ).status,
        role,
      ).toBe(403);
      const read = await api(svc.url).as(token).get(`/crm/custom-fields/${field.id}`);
      expect(read.status, role).toBe(role === 'customer' ? 403 : 200);
      expect((await api(svc.url).as(token).get('/crm/custom-fields')).status, role).toBe(
        role === 'customer' ? 403 : 200,
      );
    }
    const stranger = await tokenFor(newTenant(), 'admin');
    expect((await api(svc.url).as(stranger).get(`/crm/custom-fields/${field.id}`)).status).toBe(
      404,
    );
    expect(
      (
        await api(svc.url)
          .as(stranger)
          .patch(`/crm/custom-fields/${field.id}`, { field_label: 'z' })
      ).status,
    ).toBe(404);
    expect((await api(svc.url).as(stranger).delete(`/crm/custom-fields/${field.id}`)).status).toBe(
      404,
    );
    const theirs = await api(svc.url).as(stranger).get<{ data: unknown[] }>('/crm/custom-fields');
    expect(theirs.body.data).toEqual([]);
  });
});

describe('custom field values', () => {
  it('stores a value of every type, normalised, and publishes which field changed', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    await defineAll(admin);
    const listener = await bus.listen('crm.events', 'crm.customer.updated.v1');
    const values = {
      nickname: 'Ada',
      bio: 'Mathematician',
      visits: 3,
      shoe_size: 38.5,
      budget: { amount_minor: 5000, currency: 'EUR' },
      member_since: '2020-02-29',
      last_call: '2026-01-02T10:00:00+02:00',
      newsletter: true,
      colour: 'blue',
      interests: ['red', 'green', 'red'],
      work_email: ' Ada@Example.COM ',
      work_phone: '030 901820',
      portfolio: 'https://ada.example/work',
    };
    const customer = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ custom_fields: values }));
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    expect(customer.body.custom_fields).toEqual({
      ...values,
      last_call: '2026-01-02T08:00:00.000Z',
      interests: ['red', 'green'],
      work_email: 'ada@example.com',
      work_phone: '+4930901820',
    });
    const got = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${customer.body.id}`);
    expect(got.body.custom_fields).toEqual(customer.body.custom_fields);

    const patched = await api(svc.url)
      .as(admin)
      .patch<Customer>(`/crm/customers/${customer.body.id}`, {
        custom_fields: { visits: 4, bio: null },
      });
    expect(patched.status).toBe(200);
    expect(patched.body.custom_fields?.visits).toBe(4);
    expect(patched.body.custom_fields).not.toHaveProperty('bio');
    expect(patched.body.custom_fields?.nickname).toBe('Ada');

    const [event] = await waitFor(
      () =>
        Promise.resolve(
          listener.events.filter((e: CloudEvent) => e.subject === customer.body.id),
        ).then((l) => l.length >= 1 && l),
      { what: 'updated event' },
    );
    expect((event?.data as { changed_fields: string[] }).changed_fields).toEqual([
      'custom_fields',
      'custom_fields.bio',
      'custom_fields.visits',
    ]);
    await listener.close();
  });

  it('refuses each broken rule with 422 naming the field and the rule, and writes nothing', async () => {
    const admin = await tokenFor(newTenant(), 'admin');
    await defineAll(admin);
    const customer = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ custom_fields: { visits: 1 } }));
    const cases: [Record<string, unknown>, string][] = [
      [{ nickname: 'Ada 2' }, 'pattern'],
      [{ nickname: 'A'.repeat(21) }, 'max'],
      [{ nickname: 7 }, 'type'],
      [{ bio: 'ab' }, 'min'],
      [{ visits: 1.5 }, 'type'],
      [{ visits: -1 }, 'min'],
      [{ visits: 1001 }, 'max'],
      [{ visits: '3' }, 'type'],
      [{ shoe_size: 60 }, 'max'],
      [{ budget: { amount_minor: 5, currency: 'USD' } }, 'currency'],
      [{ budget: { amount_minor: 100001, currency: 'EUR' } }, 'max'],
      [{ budget: 50 }, 'type'],
      [{ member_since: '1999-12-31' }, 'min'],
      [{ member_since: '2021-02-29' }, 'invalid_date'],
      [{ last_call: 'yesterday' }, 'invalid_datetime'],
      [{ newsletter: 'yes' }, 'type'],
      [{ colour: 'purple' }, 'option'],
      [{ interests: ['red', 'green', 'blue'] }, 'max'],
      [{ interests: ['pink'] }, 'option'],
      [{ work_email: 'not-an-email' }, 'invalid_email'],
      [{ work_phone: '12' }, 'invalid_phone'],
      [{ portfolio: 'javascript:alert(1)' }, 'invalid_url'],
      [{ shoe_colour: 'red' }, 'unknown_field'],
    ];
    for (const [custom, code] of cases) {
      const r = await api(svc.url).as(admin).patch<Problem>(`/crm/customers/${customer.body.id}`, {
        job_title: 'Changed',
        custom_fields: custom,
      });
      expect(r.status, JSON.stringify(custom)).toBe(422);
      expect(r.body.errors, JSON.stringify(custom)).toEqual([
        expect.objectContaining({ field: `custom_fields.${Object.keys(custom)[0] ?? ''}`, code }),
      ]);
    }
    const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${customer.body.id}`);
    expect(after.body.version).toBe(1);
    expect(after.body.job_title).toBeNull();
    expect(after.body.custom_fields).toEqual({ visits: 1 });
  });

  it('requires required fields on create, never clears them, and hides switched-off fields', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const consent = await define(admin, {
      field_name: 'waiver',
      field_type: 'boolean',
      is_required: true,
    });
    const missing = await api(svc.url).as(admin).post<Problem>('/crm/customers', buildCustomer());
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([
      expect.objectContaining({ field: 'custom_fields.waiver', code: 'required' }),
    ]);
    const created = await api(svc.url)
      .as(admin)
      .post<Customer>('/crm/customers', buildCustomer({ custom_fields: { waiver: true } }));
    expect(created.status).toBe(201);
    const cleared = await api(svc.url)
      .as(admin)
      .patch<Problem>(`/crm/customers/${created.body.id}`, { custom_fields: { waiver: null } });
    expect(cleared.status).toBe(422);
    expect(cleared.body.errors?.[0]?.code).toBe('required');

    const listener = await bus.listen('crm.events', 'crm.customer.updated.v1');
    const off = await api(svc.url)
      .as(admin)
      .patch(`/crm/custom-fields/${consent.id}`, { is_active: false });
    expect(off.status).toBe(200);
    const hidden = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${created.body.id}`);
    expect(hidden.body.custom_fields).toEqual({});
    expect(hidden.body.version).toBe(2);
    const write = await api(svc.url)
      .as(admin)
      .patch<Problem>(`/crm/customers/${created.body.id}`, { custom_fields: { waiver: false } });
    expect(write.status).toBe(422);
    expect(write.body.errors?.[0]?.code).toBe('inactive_field');
    // Customers without the value no longer need it while it is off.
    expect((await api(svc.url).as(admin).post('/crm/customers', buildCustomer())).status).toBe(201);

    await api(svc.url).as(admin).patch(`/crm/custom-fields/${consent.id}`, { is_active: true });
    const del = await api(svc.url).as(admin).delete(`/crm/custom-fields/${consent.id}`);
    expect(del.status).toBe(204);
    const gone = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${created.body.id}`);
    expect(gone.body.custom_fields).toEqual({});
    expect(gone.body.version).toBe(4);
    const events = await waitFor(
      () =>
        Promise.resolve(listener.events.filter((e) => e.subject === created.body.id)).then(
          (l) => l.length >= 3 && l,
        ),
      { what: 'updates from definition changes' },
    );
    expect(events.map((e) => (e.data as { changed_fields: string[] }).changed_fields)).toEqual([
      ['custom_fields', 'custom_fields.waiver'],
      ['custom_fields', 'custom_fields.waiver'],
      ['custom_fields', 'custom_fields.waiver'],
    ]);
    await listener.close();
  });
});
