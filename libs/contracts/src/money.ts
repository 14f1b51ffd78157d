import { z } from 'zod';

export const Money = z
  .object({
    amount_minor: z.number().int().describe('Amount in minor units (cents)'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .describe('ISO 4217 currency code'),
  })
  .meta({ id: 'Money' });
export type Money = z.infer<typeof Money>;
