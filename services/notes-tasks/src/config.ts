import { BaseConfig, CustomerReplicaConfig } from '@crm/service-kit';
import type { z } from 'zod';

export const NotesTasksConfig = BaseConfig.extend(CustomerReplicaConfig.shape);
export type NotesTasksConfig = z.infer<typeof NotesTasksConfig>;
