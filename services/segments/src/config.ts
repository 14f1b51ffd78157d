import { BaseConfig } from '@crm/service-kit';
import type { z } from 'zod';

export const SegmentsConfig = BaseConfig;
export type SegmentsConfig = z.infer<typeof SegmentsConfig>;
