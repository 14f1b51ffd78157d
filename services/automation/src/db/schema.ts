import { kitTables } from '@crm/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';

export const automationSchema = pgSchema('automation');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(automationSchema);
