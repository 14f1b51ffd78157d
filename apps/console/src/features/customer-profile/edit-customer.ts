import type { Customer, CustomerStatus, UpdateCustomer } from '../../api/types';

/** The main fields the edit form shows, as the inputs hold them (text, never null). */
export interface EditableFields {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  company_name: string;
  job_title: string;
  customer_status: CustomerStatus;
  customer_stage: string;
  vip_status: boolean;
  /** A member of the staff directory by id; '' for no owner. */
  owner_id: string;
  collaborator_ids: string[];
}

export const NULLABLE_TEXT = ['email', 'phone', 'company_name', 'job_title'] as const;

export function editableFrom(customer: Customer): EditableFields {
  return {
    first_name: customer.first_name,
    last_name: customer.last_name,
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    company_name: customer.company_name ?? '',
    job_title: customer.job_title ?? '',
    customer_status: customer.customer_status,
    customer_stage: customer.customer_stage,
    vip_status: customer.vip_status,
    owner_id: customer.owner_id ?? '',
    collaborator_ids: customer.collaborator_ids ?? [],
  };
}

/**
 * The PATCH body: only the fields that changed, so a concurrent change to another field is
 * not overwritten; an emptied optional text field is sent as null (cleared).
 */
export function changesBetween(before: EditableFields, after: EditableFields): UpdateCustomer {
  const patch: UpdateCustomer = {};
  if (after.first_name.trim() !== before.first_name) patch.first_name = after.first_name.trim();
  if (after.last_name.trim() !== before.last_name) patch.last_name = after.last_name.trim();
  for (const key of NULLABLE_TEXT) {
    const value = after[key].trim();
    if (value !== before[key]) patch[key] = value === '' ? null : value;
  }
  if (after.customer_status !== before.customer_status) {
    patch.customer_status = after.customer_status;
  }
  if (after.customer_stage !== before.customer_stage) patch.customer_stage = after.customer_stage;
  if (after.vip_status !== before.vip_status) patch.vip_status = after.vip_status;
  if (after.owner_id !== before.owner_id) {
    patch.owner_id = after.owner_id === '' ? null : after.owner_id;
  }
  // The API replaces the whole list, so it is sent whole, and only when it changed.
  if (!sameMembers(after.collaborator_ids, before.collaborator_ids)) {
    patch.collaborator_ids = after.collaborator_ids;
  }
  return patch;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * Which field of the form a problem's `errors[].field` belongs to: `collaborator_ids.2`
 * (the third collaborator) to the collaborators, the others by their own name.
 */
export function formFieldOf(field: string): string {
  return field.startsWith('collaborator_ids.') ? 'collaborator_ids' : field;
}
