import type { Customer, Problem } from '@crm/contracts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { api, buildCustomer, newTenant, tokenFor, useService } from '@crm/testing';
import { profilesService } from '../src/service.js';

const svc = useService(profilesService);

function image(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 90 } } });
}

async function upload(
  token: string,
  id: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
) {
  return api(svc.url)
    .as(token)
    .put<Customer & Problem>(
      `/crm/customers/${id}/picture`,
      { content_base64: bytes.toString('base64') },
      { headers: headers },
    );
}

async function fetchPicture(token: string, id: string) {
  const res = await fetch(`${svc.url}/crm/customers/${id}/picture`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

describe('profile pictures', () => {
  it('takes PNG, JPEG and WebP, stores a WebP thumbnail and serves it back; removal clears the link', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const customer = (
      await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer())
    ).body;
    for (const bytes of [
      await image(800, 400).png().toBuffer(),
      await image(300, 600).jpeg().toBuffer(),
      await image(64, 64).webp().toBuffer(),
    ]) {
      const r = await upload(admin, customer.id, bytes);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.profile_picture_url).toBe(`/crm/customers/${customer.id}/picture`);
    }
    const served = await fetchPicture(admin, customer.id);
    expect(served.status).toBe(200);
    expect(served.type).toBe('image/webp');
    const meta = await sharp(served.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 64, 64]);

    const big = await upload(admin, customer.id, await image(800, 400).png().toBuffer());
    expect(big.body.version).toBe(5);
    const thumb = await sharp((await fetchPicture(admin, customer.id)).bytes).metadata();
    expect([thumb.width, thumb.height]).toEqual([256, 128]);

    const stale = await upload(admin, customer.id, await image(10, 10).png().toBuffer(), {
      'if-match': '"1"',
    });
    expect(stale.status).toBe(412);

    const removed = await api(svc.url).as(admin).delete(`/crm/customers/${customer.id}/picture`);
    expect(removed.status).toBe(204);
    expect((await fetchPicture(admin, customer.id)).status).toBe(404);
    const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${customer.id}`);
    expect(after.body.profile_picture_url).toBeNull();
    expect(
      (await api(svc.url).as(admin).delete(`/crm/customers/${customer.id}/picture`)).status,
    ).toBe(404);
  });

  it('sniffs the content, limits the size and refuses what cannot be decoded, writing nothing', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const customer = (
      await api(svc.url).as(admin).post<Customer>('/crm/customers', buildCustomer())
    ).body;
    const gif = await image(10, 10).gif().toBuffer();
    const png = await image(10, 10).png().toBuffer();
    const cases: [Buffer, number, string][] = [
      [gif, 415, 'unsupported_media_type'],
      [
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        415,
        'unsupported_media_type',
      ],
      [Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]), 415, 'unsupported_media_type'],
      [Buffer.concat([png, Buffer.alloc(180_001 - png.length)]), 413, 'payload_too_large'],
    ];
    for (const [bytes, status, code] of cases) {
      const r = await upload(admin, customer.id, bytes);
      expect(r.status).toBe(status);
      expect(r.body.code).toBe(code);
    }
    const notBase64 = await api(svc.url)
      .as(admin)
      .put<Problem>(`/crm/customers/${customer.id}/picture`, { content_base64: 'not base64!' });
    expect(notBase64.status).toBe(422);
    const extra = await api(svc.url)
      .as(admin)
      .put<Problem>(`/crm/customers/${customer.id}/picture`, {
        content_base64: png.toString('base64'),
        content_type: 'image/png',
      });
    expect(extra.status).toBe(422);
    const after = await api(svc.url).as(admin).get<Customer>(`/crm/customers/${customer.id}`);
    expect([after.body.version, after.body.profile_picture_url]).toEqual([1, null]);
  });

  it('lets editors upload, staff read, and nobody reach another tenant', async () => {
    const tenant = newTenant();
    const admin = await tokenFor(tenant, 'admin');
    const customer = (
      await api(svc.url)
        .as(admin)
        .post<Customer>('/crm/customers', buildCustomer({ owner_id: 'rep-1' }))
    ).body;
    const png = await image(20, 20).png().toBuffer();
    const rep = await tokenFor(tenant, 'sales_rep', { sub: 'rep-1' });
    expect((await upload(rep, customer.id, png)).status).toBe(200);
    const staff = await tokenFor(tenant, 'staff', { sub: 'rep-1' });
    expect((await upload(staff, customer.id, png)).status).toBe(403);
    expect((await fetchPicture(staff, customer.id)).status).toBe(200);
    const otherStaff = await tokenFor(tenant, 'staff', { sub: 'someone' });
    expect((await fetchPicture(otherStaff, customer.id)).status).toBe(404);
    const self = await tokenFor(tenant, 'customer', { sub: customer.id });
    expect((await upload(self, customer.id, png)).status).toBe(403);
    expect((await fetchPicture(self, customer.id)).status).toBe(403);
    const stranger = await tokenFor(newTenant(), 'admin');
    expect((await upload(stranger, customer.id, png)).status).toBe(404);
    expect((await fetchPicture(stranger, customer.id)).status).toBe(404);
    expect(
      (await api(svc.url).as(stranger).delete(`/crm/customers/${customer.id}/picture`)).status,
    ).toBe(404);
  });
});
