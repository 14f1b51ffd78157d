import { BaseConfig } from '@crm/service-kit';
import type { z } from 'zod';

export const NotesTasksConfig = BaseConfig;
export type NotesTasksConfig = z.infer<typeof NotesTasksConfig>;
