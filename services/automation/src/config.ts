import { BaseConfig } from '@crm/service-kit';
import type { z } from 'zod';

export const AutomationConfig = BaseConfig;
export type AutomationConfig = z.infer<typeof AutomationConfig>;
