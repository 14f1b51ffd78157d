import { z } from 'zod';
import { StaffRole } from '../../roles.js';

export const DevTokenBody = z
  .object({
    role: StaffRole,
    sub: z.string().min(1).max(255).optional().describe('Default `<role>-dev`'),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
  })
  .strict()
  .meta({ id: 'DevTokenRequest' });
export type DevTokenBody = z.infer<typeof DevTokenBody>;

export const DevToken = z
  .object({
    token: z.string().describe('Send as `Authorization: Bearer <token>`'),
    expires_at: z.iso.datetime(),
  })
  .meta({ id: 'DevToken' });
export type DevToken = z.infer<typeof DevToken>;
