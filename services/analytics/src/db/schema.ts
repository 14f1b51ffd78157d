import { kitTables } from '@crm/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';

export const analyticsSchema = pgSchema('analytics');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(analyticsSchema);
