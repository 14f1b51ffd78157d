import { BaseConfig } from '@crm/service-kit';
import type { z } from 'zod';

export const CommsConfig = BaseConfig;
export type CommsConfig = z.infer<typeof CommsConfig>;
