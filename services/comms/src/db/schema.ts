import { kitTables } from '@crm/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';

export const commsSchema = pgSchema('comms');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(commsSchema);
