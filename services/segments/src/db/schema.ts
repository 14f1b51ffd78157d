import { kitTables } from '@crm/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';

export const segmentsSchema = pgSchema('segments');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(segmentsSchema);
