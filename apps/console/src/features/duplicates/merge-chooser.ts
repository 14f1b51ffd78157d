import type { components } from '../../api/generated/schema';
import type { Customer } from '../../api/types';
import { MERGEABLE_FIELDS } from './mergeable-fields';

export type MergeCustomersBody = components['schemas']['MergeCustomers'];
export { MERGEABLE_FIELDS };

export type MergeableField = (typeof MERGEABLE_FIELDS)[number];

export const MERGE_FIELD_LABELS: Record<MergeableField, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  email: 'Email',
  phone: 'Primary phone',
  timezone: 'Time zone',
  locale: 'Language',
  address: 'Address',
  preferences: 'Preferences',
  profile_picture_url: 'Picture',
  company_name: 'Company',
  job_title: 'Job title',
  website: 'Website',
  linkedin_url: 'LinkedIn',
  facebook_url: 'Facebook',
  instagram_url: 'Instagram',
  twitter_url: 'X (Twitter)',
  preferred_contact_method: 'Preferred contact method',
  preferred_contact_time: 'Preferred contact time',
  birthday: 'Birthday',
  anniversary: 'Anniversary',
  referral_source: 'Referral source',
  customer_status: 'Status',
  customer_stage: 'Stage',
  owner_id: 'Owner',
  team_id: 'Team',
};

/** A field as `field_choices` names it: a core field or `custom_fields.<name>`. */
export type FieldKey = MergeableField | `custom_fields.${string}`;

export interface CustomFieldName {
  name: string;
  label: string;
}

export interface FieldValue {
  customerId: string;
  value: unknown;
  blank: boolean;
  /** Whether choosing this customer gives the survivor this value (see `choosable`). */
  choosable: boolean;
}

export interface FieldRow {
  key: FieldKey;
  label: string;
  /** One per customer, the survivor first. */
  values: FieldValue[];
  /** Every customer holds the same value: there is nothing to choose. */
  same: boolean;
}

/** The choice per field: the id of the customer whose value the survivor keeps. */
export type Choices = Partial<Record<FieldKey, string>>;

export function valueOf(customer: Customer, key: FieldKey): unknown {
  if (key.startsWith('custom_fields.')) {
    return customer.custom_fields?.[key.slice('custom_fields.'.length)];
  }
  return customer[key as MergeableField];
}

/** Nothing worth keeping: null, empty text, an empty list, an object of empty values. */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isBlank);
  return false;
}

/**
 * Whether the survivor can end up with this customer's value, given how the API merges:
 * every number is kept and `phone` only picks the primary, so an empty phone cannot be chosen;
 * a custom field takes a value only from a customer who has one; an uploaded picture lives
 * under its customer's id and goes with it.
 */
function choosable(key: FieldKey, value: unknown, isSurvivor: boolean): boolean {
  if (key === 'phone') return !isBlank(value);
  if (key.startsWith('custom_fields.')) return isSurvivor || !isBlank(value);
  if (key === 'profile_picture_url' && !isSurvivor) {
    return typeof value !== 'string' || !value.startsWith('/crm/');
  }
  return true;
}

function same(a: unknown, b: unknown): boolean {
  if (isBlank(a) && isBlank(b)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields worth showing, in the API's order then the custom fields: those where at least
 * one customer has a value. `customers` starts with the survivor.
 */
export function fieldRows(customers: Customer[], custom: CustomFieldName[]): FieldRow[] {
  const customNames = new Map(custom.map((c) => [c.name, c.label]));
  for (const c of customers) {
    for (const name of Object.keys(c.custom_fields ?? {})) {
      if (!customNames.has(name)) customNames.set(name, name);
    }
  }
  const keys: { key: FieldKey; label: string }[] = [
    ...MERGEABLE_FIELDS.map((key) => ({ key, label: MERGE_FIELD_LABELS[key] })),
    ...[...customNames].map(([name, label]) => ({
      key: `custom_fields.${name}` as const,
      label,
    })),
  ];
  const rows: FieldRow[] = [];
  for (const { key, label } of keys) {
    const values = customers.map((c, i) => {
      const value = valueOf(c, key);
      const blank = isBlank(value);
      return { customerId: c.id, value, blank, choosable: choosable(key, value, i === 0) };
    });
    if (values.every((v) => v.blank)) continue;
    const first = values[0]?.value;
    rows.push({ key, label, values, same: values.every((v) => same(v.value, first)) });
  }
  return rows;
}

/**
 * What the chooser starts from, as the API would do without a choice: the survivor's value
 * when it has one, else the first non-empty one of the others in their order.
 */
export function defaultChoices(rows: FieldRow[]): Choices {
  const choices: Choices = {};
  for (const row of rows) {
    const survivor = row.values[0];
    if (survivor === undefined) continue;
    const pick =
      (!survivor.blank && survivor.choosable ? survivor : undefined) ??
      row.values.find((v) => !v.blank && v.choosable) ??
      survivor;
    choices[row.key] = pick.customerId;
  }
  return choices;
}

/** The choices with one changed, if that customer's value can be chosen for the field. */
export function choose(choices: Choices, row: FieldRow, customerId: string): Choices {
  const option = row.values.find((v) => v.customerId === customerId);
  if (option === undefined || !option.choosable) return choices;
  return { ...choices, [row.key]: customerId };
}

function chosenValue(row: FieldRow, choices: Choices): FieldValue | undefined {
  const id = choices[row.key];
  return row.values.find((v) => v.customerId === id) ?? row.values[0];
}

/**
 * The request: every field whose values differ is named with its choice, so the result is the
 * preview whatever the API's defaults; fields all customers agree on are left to it.
 */
export function mergeBody(
  survivorId: string,
  mergeIds: string[],
  rows: FieldRow[],
  choices: Choices,
): MergeCustomersBody {
  const field_choices: Record<string, string> = {};
  for (const row of rows) {
    if (row.same) continue;
    const chosen = chosenValue(row, choices);
    if (chosen !== undefined) field_choices[row.key] = chosen.customerId;
  }
  return { merge_ids: mergeIds.filter((id) => id !== survivorId), field_choices };
}

export interface MergePreview {
  fields: { key: FieldKey; label: string; value: unknown }[];
  /** Every number of every customer; the chosen primary first. */
  phones: string[];
  tags: string[];
  vip: boolean;
  doNotContact: boolean;
}

/** The survivor as the merge will leave it. `customers` starts with the survivor. */
export function previewMerge(
  customers: Customer[],
  rows: FieldRow[],
  choices: Choices,
): MergePreview {
  const fields = rows.map((row) => ({
    key: row.key,
    label: row.label,
    value: chosenValue(row, choices)?.value ?? null,
  }));
  const numbers: string[] = [];
  for (const c of customers) {
    const list = c.phones?.map((p) => p.number) ?? (c.phone ? [c.phone] : []);
    for (const n of list) if (!numbers.includes(n)) numbers.push(n);
  }
  const primary = fields.find((f) => f.key === 'phone')?.value;
  const phones =
    typeof primary === 'string' && numbers.includes(primary)
      ? [primary, ...numbers.filter((n) => n !== primary)]
      : numbers;
  const tags = [...new Set(customers.flatMap((c) => c.tags ?? []))].sort();
  return {
    fields,
    phones,
    tags,
    vip: customers.some((c) => c.vip_status),
    doNotContact: customers.some((c) => c.do_not_contact),
  };
}

function titleCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface Describe {
  money?: (money: { amount_minor: number; currency: string }) => string;
  stage?: (key: string) => string;
}

/** A value as a person reads it in the chooser: one line of text, "Empty" for nothing. */
export function describeValue(key: FieldKey, value: unknown, describe: Describe = {}): string {
  if (isBlank(value)) return 'Empty';
  if (key === 'address' && typeof value === 'object' && value !== null) {
    const a = value as Record<string, string | null | undefined>;
    const town = [a.postal_code, a.city].filter((v) => v).join(' ');
    return [a.line1, a.line2, town, a.region, a.country].filter((v) => v).join(', ');
  }
  if (key === 'preferences' && typeof value === 'object' && value !== null) {
    const p = value as Partial<Record<string, unknown>>;
    const parts: string[] = [];
    const list = (name: string, label: string) => {
      const items = p[name];
      if (Array.isArray(items) && items.length > 0) parts.push(`${label}: ${items.join(', ')}`);
    };
    list('favorite_services', 'services');
    list('favorite_staff', 'staff');
    list('preferred_times_of_day', 'times');
    list('preferred_days', 'days');
    if (typeof p.notes === 'string' && p.notes !== '') parts.push(`notes: ${p.notes}`);
    return titleCase(parts.join('; '));
  }
  if (key === 'customer_status' && typeof value === 'string') return titleCase(value);
  if (key === 'customer_stage' && typeof value === 'string') {
    return describe.stage ? describe.stage(value) : value;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object' && value !== null) {
    const m = value as { amount_minor?: unknown; currency?: unknown };
    if (typeof m.amount_minor === 'number' && typeof m.currency === 'string') {
      const money = { amount_minor: m.amount_minor, currency: m.currency };
      return describe.money ? describe.money(money) : `${m.amount_minor} ${m.currency} (minor)`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}
