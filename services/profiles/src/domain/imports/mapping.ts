import { IMPORT_FIELDS, type CustomFieldType, type FieldError } from '@crm/contracts';
import { AppError } from '@crm/service-kit';
import type { CustomFieldRow } from '../../db/schema.js';

const CORE = new Set<string>(IMPORT_FIELDS);
const ADDRESS: Record<string, string> = {
  address_line1: 'line1',
  address_line2: 'line2',
  city: 'city',
  region: 'region',
  postal_code: 'postal_code',
  country: 'country',
};
const BOOLEAN_FIELDS = new Set(['vip_status', 'do_not_contact']);
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** One mapped column: where it sits in a record and what it fills. */
export interface MappedColumn {
  header: string;
  index: number;
  target: string;
  /** For `custom.<name>` targets: the definition's type, to read the cell as. */
  customType?: CustomFieldType;
}

export interface ImportPlan {
  columns: MappedColumn[];
  /** Header of the column filling a target (`email`, `custom.hobby`, `tags`...). */
  headerOf: (target: string) => string | null;
}

export interface RowError {
  column: string | null;
  code: string;
  message: string;
}

/**
 * Checks a mapping against the file's header and the tenant's custom fields, every problem
 * at once: columns that are not in the file, fields that do not exist, a target mapped
 * twice, and `first_name` or a required custom field left unmapped.
 */
export function planImport(
  header: string[],
  mapping: Record<string, string>,
  definitions: CustomFieldRow[],
): ImportPlan {
  const errors: FieldError[] = [];
  const byName = new Map(definitions.map((d) => [d.fieldName, d]));
  const columns: MappedColumn[] = [];
  const targets = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) {
    const field = `mapping.${column}`;
    const at = header.indexOf(column);
    if (at === -1) {
      errors.push({ field, code: 'unknown_column', message: `The file has no column "${column}"` });
      continue;
    }
    if (header.indexOf(column, at + 1) !== -1) {
      errors.push({
        field,
        code: 'ambiguous_column',
        message: `The file has more than one column "${column}"`,
      });
      continue;
    }
    let customType: CustomFieldType | undefined;
    if (target.startsWith('custom.')) {
      const def = byName.get(target.slice('custom.'.length));
      if (!def || !def.isActive) {
        errors.push({
          field,
          code: 'unknown_field',
          message: `No active custom field named ${target.slice('custom.'.length)}`,
        });
        continue;
      }
      customType = def.fieldType as CustomFieldType;
    } else if (!CORE.has(target)) {
      errors.push({
        field,
        code: 'unknown_field',
        message: `${target} is not a customer field; use one of ${IMPORT_FIELDS.join(', ')} or custom.<field_name>`,
      });
      continue;
    }
    const taken = targets.get(target);
    if (taken !== undefined) {
      errors.push({
        field,
        code: 'duplicate_target',
        message: `${target} is already filled from "${taken}"`,
      });
      continue;
    }
    targets.set(target, column);
    columns.push({ header: column, index: at, target, ...(customType ? { customType } : {}) });
  }
  if (!targets.has('first_name')) {
    errors.push({ field: 'mapping', code: 'required', message: 'Map a column to first_name' });
  }
  for (const def of definitions) {
    if (def.isActive && def.isRequired && !targets.has(`custom.${def.fieldName}`)) {
      errors.push({
        field: 'mapping',
        code: 'required',
        message: `Map a column to custom.${def.fieldName}, a required custom field`,
      });
    }
  }
  if (errors.length > 0) {
    throw new AppError('validation_failed', 'The column mapping does not fit', errors);
  }
  return { columns, headerOf: (target) => targets.get(target) ?? null };
}

/** What one CSV record asks for, before the domain checks it. */
export interface RowInput {
  /** Fields as `POST /crm/customers` takes them; empty cells are left out. */
  body: Record<string, unknown>;
  tags: string[];
  externalRef: string | undefined;
  errors: RowError[];
}

function customValue(type: CustomFieldType, cell: string): unknown {
  switch (type) {
    case 'number':
    case 'decimal':
      return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const v = cell.toLowerCase();
      return TRUE.has(v) ? true : FALSE.has(v) ? false : cell;
    }
    case 'currency':
      // As the CSV export writes it: {"amount_minor":1250,"currency":"EUR"}.
      try {
        return JSON.parse(cell) as unknown;
      } catch {
        return cell;
      }
    case 'multiselect':
      return cell
        .split('|')
        .map((v) => v.trim())
        .filter((v) => v !== '');
    default:
      return cell;
  }
}

/** Reads one record through the plan; an empty cell leaves its field out. */
export function readRow(record: string[], plan: ImportPlan): RowInput {
  const body: Record<string, unknown> = {};
  const address: Record<string, string> = {};
  const custom: Record<string, unknown> = {};
  const errors: RowError[] = [];
  let tags: string[] = [];
  let externalRef: string | undefined;
  for (const col of plan.columns) {
    const cell = (record[col.index] ?? '').trim();
    if (cell === '') continue;
    if (col.customType !== undefined) {
      custom[col.target.slice('custom.'.length)] = customValue(col.customType, cell);
    } else if (col.target === 'tags') {
      tags = [
        ...new Set(
          cell
            .split('|')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
        ),
      ];
    } else if (col.target === 'external_ref') {
      if (cell.length > 100) {
        errors.push({ column: col.header, code: 'too_long', message: 'At most 100 characters' });
      } else {
        externalRef = cell;
      }
    } else if (ADDRESS[col.target] !== undefined) {
      address[ADDRESS[col.target] ?? col.target] = cell;
    } else if (BOOLEAN_FIELDS.has(col.target)) {
      const v = cell.toLowerCase();
      if (TRUE.has(v)) body[col.target] = true;
      else if (FALSE.has(v)) body[col.target] = false;
      else {
        errors.push({
          column: col.header,
          code: 'invalid_boolean',
          message: `Expected true or false (yes/no, 1/0), not "${cell}"`,
        });
      }
    } else {
      body[col.target] = cell;
    }
  }
  if (Object.keys(address).length > 0) body.address = address;
  if (Object.keys(custom).length > 0) body.custom_fields = custom;
  return { body, tags, externalRef, errors };
}

/** The CSV column a domain or schema error points at: `address.city` → the city column. */
export function columnOf(field: string, plan: ImportPlan): string | null {
  const [head, sub] = field.split('.');
  if (head === 'custom_fields' && sub !== undefined) return plan.headerOf(`custom.${sub}`);
  if (head === 'address' && sub !== undefined) {
    const target = Object.entries(ADDRESS).find(([, key]) => key === sub)?.[0];
    return target === undefined ? null : plan.headerOf(target);
  }
  if (head === 'add' || head === 'tags') return plan.headerOf('tags');
  if (head === 'phones') return plan.headerOf('phone');
  return head === undefined ? null : plan.headerOf(head);
}
