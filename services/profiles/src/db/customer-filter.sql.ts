import type { CustomFieldType, FilterCatalog, FilterNode } from '@crm/contracts';
import { compileFilter, type FilterSqlMapping } from '@crm/service-kit';
import { sql, type SQL } from 'drizzle-orm';
import {
  collaborators,
  customFieldValues as vals,
  customerTags,
  customers as c,
  tags,
} from './schema.js';

/** A custom field the filter can reach: its id and how its JSON value reads as SQL. */
export interface FilterableCustomField {
  key: string;
  id: string;
  type: CustomFieldType;
}

const CORE: Record<string, SQL> = {
  first_name: sql`${c.firstName}`,
  last_name: sql`${c.lastName}`,
  email: sql`${c.email}`,
  phone: sql`${c.phone}`,
  customer_status: sql`${c.customerStatus}`,
  customer_stage: sql`${c.customerStage}`,
  vip_status: sql`${c.vipStatus}`,
  do_not_contact: sql`${c.doNotContact}`,
  created_at: sql`${c.createdAt}`,
  updated_at: sql`${c.updatedAt}`,
  birthday: sql`${c.birthday}`,
  anniversary: sql`${c.anniversary}`,
  city: sql`${c.city}`,
  region: sql`${c.region}`,
  postal_code: sql`${c.postalCode}`,
  country: sql`${c.country}`,
  company_name: sql`${c.companyName}`,
  job_title: sql`${c.jobTitle}`,
  source: sql`${c.source}`,
  referral_source: sql`${c.referralSource}`,
  preferred_contact_method: sql`${c.preferredContactMethod}`,
  timezone: sql`${c.timezone}`,
  locale: sql`${c.locale}`,
  owner_id: sql`${c.ownerId}`,
  team_id: sql`${c.teamId}`,
  collaborator_ids: sql`ARRAY(SELECT ${collaborators.staffId} FROM ${collaborators} WHERE ${collaborators.tenantId} = ${c.tenantId} AND ${collaborators.customerId} = ${c.id})`,
  assigned_to: sql`array_remove(ARRAY[${c.ownerId}] || ARRAY(SELECT ${collaborators.staffId} FROM ${collaborators} WHERE ${collaborators.tenantId} = ${c.tenantId} AND ${collaborators.customerId} = ${c.id}), NULL)`,
  tags: sql`ARRAY(SELECT ${tags.name} FROM ${customerTags} JOIN ${tags} ON ${tags.tenantId} = ${customerTags.tenantId} AND ${tags.id} = ${customerTags.tagId} WHERE ${customerTags.tenantId} = ${c.tenantId} AND ${customerTags.customerId} = ${c.id})`,
};

/** The stored JSON value of one custom field, read as its filter type reads it. */
function customValue(field: FilterableCustomField): SQL {
  const own = sql`${vals.tenantId} = ${c.tenantId} AND ${vals.customerId} = ${c.id} AND ${vals.fieldId} = ${field.id}::uuid`;
  switch (field.type) {
    case 'multiselect':
      return sql`(SELECT ARRAY(SELECT jsonb_array_elements_text(${vals.value})) FROM ${vals} WHERE ${own})`;
    case 'currency':
      return sql`(SELECT ${vals.value} ->> 'amount_minor' FROM ${vals} WHERE ${own})`;
    default:
      return sql`(SELECT ${vals.value} #>> '{}' FROM ${vals} WHERE ${own})`;
  }
}

/** The filter as a predicate on `profiles.customers`, every value a bound parameter. */
export function customerFilterSql(
  filter: FilterNode,
  catalog: FilterCatalog,
  custom: FilterableCustomField[],
  now: Date,
): SQL {
  const mapping: FilterSqlMapping = {
    fields: { ...CORE, ...Object.fromEntries(custom.map((f) => [f.key, customValue(f)])) },
  };
  return compileFilter(filter, { catalog, mapping, now });
}

export const CORE_FILTER_KEYS = Object.keys(CORE);
