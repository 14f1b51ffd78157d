import {
  CONTACT_METHODS,
  CUSTOMER_STATUSES,
  field,
  parseFilter,
  validateFilter,
  type Customer,
  type CustomFieldType,
  type FieldType,
  type FilterCatalog,
  type FilterIssue,
  type FilterNode,
  type FilterRecord,
  type FilterValue,
} from '@crm/contracts';
import { AppError, type Executor, type Principal } from '@crm/service-kit';
import type { SQL } from 'drizzle-orm';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import { customerFilterSql, type FilterableCustomField } from '../../db/customer-filter.sql.js';

/** Fields that name staff, where the value `@me` stands for the caller. */
const STAFF_FIELDS = new Set(['owner_id', 'collaborator_ids', 'assigned_to']);
export const ME = '@me';

const CORE_FIELDS = [
  field('first_name', 'string'),
  field('last_name', 'string'),
  field('email', 'string'),
  field('phone', 'string'),
  field('customer_status', 'string', { options: [...CUSTOMER_STATUSES] }),
  field('customer_stage', 'string'),
  field('vip_status', 'boolean'),
  field('do_not_contact', 'boolean'),
  field('created_at', 'datetime'),
  field('updated_at', 'datetime'),
  field('birthday', 'date'),
  field('anniversary', 'date'),
  field('city', 'string'),
  field('region', 'string'),
  field('postal_code', 'string'),
  field('country', 'string'),
  field('company_name', 'string'),
  field('job_title', 'string'),
  field('source', 'string', { options: ['crm', 'bookingx'] }),
  field('referral_source', 'string'),
  field('preferred_contact_method', 'string', { options: [...CONTACT_METHODS] }),
  field('timezone', 'string'),
  field('locale', 'string'),
  field('owner_id', 'string'),
  field('team_id', 'string'),
  field('collaborator_ids', 'string_list'),
  field('assigned_to', 'string_list', { label: 'Owner or collaborator' }),
  field('tags', 'string_list'),
];

const CUSTOM_TYPES: Record<CustomFieldType, FieldType> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  url: 'string',
  select: 'string',
  number: 'number',
  decimal: 'number',
  currency: 'number',
  date: 'date',
  datetime: 'datetime',
  boolean: 'boolean',
  multiselect: 'string_list',
};

/**
 * A customer as the in-memory evaluator reads it, keyed like the catalog, so a filter
 * gives the same answer over a `Customer` as the SQL gives over its rows.
 */
export function filterRecordOf(customer: Customer): FilterRecord {
  const collaborators = customer.collaborator_ids ?? [];
  const record: Record<string, FilterValue> = {
    first_name: customer.first_name,
    last_name: customer.last_name,
    email: customer.email,
    phone: customer.phone,
    customer_status: customer.customer_status,
    customer_stage: customer.customer_stage,
    vip_status: customer.vip_status,
    do_not_contact: customer.do_not_contact,
    created_at: customer.created_at,
    updated_at: customer.updated_at,
    birthday: customer.birthday,
    anniversary: customer.anniversary,
    city: customer.address?.city ?? null,
    region: customer.address?.region ?? null,
    postal_code: customer.address?.postal_code ?? null,
    country: customer.address?.country ?? null,
    company_name: customer.company_name,
    job_title: customer.job_title,
    source: customer.source,
    referral_source: customer.referral_source,
    preferred_contact_method: customer.preferred_contact_method,
    timezone: customer.timezone,
    locale: customer.locale ?? null,
    owner_id: customer.owner_id,
    team_id: customer.team_id,
    collaborator_ids: collaborators,
    assigned_to: customer.owner_id === null ? collaborators : [customer.owner_id, ...collaborators],
    tags: customer.tags ?? [],
  };
  for (const [name, value] of Object.entries(customer.custom_fields ?? {})) {
    record[`custom.${name}`] =
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? value.amount_minor
        : value;
  }
  return record;
}

function invalid(issues: FilterIssue[], at: string[]): AppError {
  return new AppError(
    'validation_failed',
    'The filter is not valid',
    issues.map((issue) => ({
      field: [...at, ...issue.path.map(String)].join('.'),
      code: issue.code,
      message: issue.message,
    })),
  );
}

/** `@me` in a staff field becomes the caller's id, so "assigned to me" is one saved filter. */
function withCaller(node: FilterNode, staffId: string): FilterNode {
  if ('and' in node) return { and: node.and.map((n) => withCaller(n, staffId)) };
  if ('or' in node) return { or: node.or.map((n) => withCaller(n, staffId)) };
  if ('not' in node) return { not: withCaller(node.not, staffId) };
  if ('fact' in node || !STAFF_FIELDS.has(node.field) || !('value' in node)) return node;
  const swap = <T>(v: T): T | string => (v === ME ? staffId : v);
  if (Array.isArray(node.value)) {
    return { ...node, value: node.value.map(swap) } as FilterNode;
  }
  return { ...node, value: swap(node.value) } as FilterNode;
}

/**
 * The customer list's filter: the catalog (core fields, tags, assignment, and the active,
 * non-sensitive custom fields as `custom.<name>`), validation that names each bad leaf,
 * and the SQL predicate. Profiles holds no booking facts and no changes, so behavioural
 * and `changed_*` leaves are refused.
 */
export class CustomerFilter {
  constructor(private readonly fields: CustomFieldsRepository) {}

  async catalog(
    db: Executor,
    tenantId: string,
  ): Promise<{ catalog: FilterCatalog; custom: FilterableCustomField[] }> {
    const defs = await this.fields.list(db, tenantId, false);
    const custom = defs
      .filter((d) => !d.isSensitive)
      .map((d) => ({
        key: `custom.${d.fieldName}`,
        id: d.id,
        type: d.fieldType as CustomFieldType,
        label: d.fieldLabel,
        options: d.fieldOptions.map((o) => o.value),
      }));
    return {
      custom,
      catalog: {
        fields: [
          ...CORE_FIELDS,
          ...custom.map((f) =>
            field(f.key, CUSTOM_TYPES[f.type], {
              label: f.label,
              ...(f.options.length > 0 ? { options: f.options } : {}),
            }),
          ),
        ],
      },
    };
  }

  /** JSON text from a query string: 400 when it is not JSON, 422 naming each bad leaf. */
  static fromQuery(text: string): unknown {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new AppError('bad_request', 'The filter is not valid JSON', [
        { field: 'query.filter', code: 'invalid_json', message: 'Send URL-encoded JSON' },
      ]);
    }
  }

  /** A checked predicate for `input`; `at` is where the filter sat in the request. */
  async predicate(
    db: Executor,
    principal: Principal,
    input: unknown,
    at: string[],
    now: Date = new Date(),
  ): Promise<SQL> {
    const parsed = parseFilter(input);
    if (!parsed.ok) throw invalid(parsed.issues, at);
    const filter = withCaller(parsed.filter, principal.sub);
    const { catalog, custom } = await this.catalog(db, principal.tenant);
    const issues = validateFilter(filter, catalog);
    if (issues.length > 0) throw invalid(issues, at);
    return customerFilterSql(filter, catalog, custom, now);
  }
}
