import { customerTables, kitTables } from '@crm/service-kit';
import { pgSchema } from 'drizzle-orm/pg-core';

export const notesTasksSchema = pgSchema('notes_tasks');
export const { outbox, inbox, deadLetters, idempotencyKeys } = kitTables(notesTasksSchema);
/** The replica of assignments (customer_access), merged ids and finished erasures. */
export const { customerAccess, customerAliases, erasures } = customerTables(notesTasksSchema);
