import { BaseConfig } from '@crm/service-kit';
import { z } from 'zod';

const flag = (fallback: 'true' | 'false', description: string) =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true')
    .describe(description);

export const InteractionsConfig = BaseConfig.extend({
  TRACK_BOOKINGS: flag('true', 'Record bookings and payments (setting track_bookings)'),
});
export type InteractionsConfig = z.infer<typeof InteractionsConfig>;
