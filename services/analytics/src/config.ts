import { BaseConfig } from '@crm/service-kit';
import type { z } from 'zod';

export const AnalyticsConfig = BaseConfig;
export type AnalyticsConfig = z.infer<typeof AnalyticsConfig>;
