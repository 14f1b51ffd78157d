import type { Customer, CustomFieldType, CustomFieldValue, FieldError } from '@crm/contracts';
import { AppError, type Executor } from '@crm/service-kit';
import type { CustomFieldsRepository } from '../../db/custom-fields.repository.js';
import type { CustomFieldRow } from '../../db/schema.js';
import type { CheckedValue, SensitiveFields } from '../privacy/sensitive-fields.js';
import { checkValue, type FieldRule } from './field-rules.js';

export function ruleOf(row: CustomFieldRow): FieldRule {
  return {
    name: row.fieldName,
    type: row.fieldType as CustomFieldType,
    options: row.fieldOptions,
    required: row.isRequired,
    validation: row.validation,
  };
}

/** Checks the custom field values of one write against the tenant's definitions. */
export interface CustomFieldValuesDeps {
  fields: CustomFieldsRepository;
  /** Reads phone values written without a country code. */
  phoneRegion: string;
  sensitive: SensitiveFields;
}

export class CustomFieldValues {
  constructor(private readonly deps: CustomFieldValuesDeps) {}

  /** Checked values as they are stored: sensitive ones sealed with the customer's data key. */
  seal(
    tx: Executor,
    tenantId: string,
    customerId: string,
    values: CheckedValue[],
    current?: Record<string, CustomFieldValue>,
  ): Promise<{ fieldId: string; value: CustomFieldValue }[]> {
    return this.deps.sensitive.seal(tx, tenantId, customerId, values, current);
  }

  /** The customer as its reader sees it: sensitive values decrypted. */
  async reveal(db: Executor, customer: Customer): Promise<Customer> {
    const [revealed] = await this.deps.sensitive.reveal(db, [customer]);
    return revealed ?? customer;
  }

  revealAll(db: Executor, customers: Customer[]): Promise<Customer[]> {
    return this.deps.sensitive.reveal(db, customers);
  }

  /**
   * Every problem of the write at once, as 422 naming `custom_fields.<name>` and the rule.
   * A new customer must carry every required active field.
   */
  async check(
    db: Executor,
    tenantId: string,
    input: Record<string, unknown> | undefined,
    mode: 'create' | 'update',
  ): Promise<CheckedValue[]> {
    if (mode === 'update' && (input === undefined || Object.keys(input).length === 0)) return [];
    const definitions = await this.deps.fields.definitions(db, tenantId);
    const byName = new Map(definitions.map((d) => [d.fieldName, d]));
    const errors: FieldError[] = [];
    const out: CheckedValue[] = [];
    for (const [name, raw] of Object.entries(input ?? {})) {
      const def = byName.get(name);
      if (!def) {
        errors.push({
          field: `custom_fields.${name}`,
          code: 'unknown_field',
          message: `No custom field named ${name}`,
        });
        continue;
      }
      if (!def.isActive) {
        errors.push({
          field: `custom_fields.${name}`,
          code: 'inactive_field',
          message: `${name} is switched off`,
        });
        continue;
      }
      const checked = checkValue(ruleOf(def), raw, this.deps.phoneRegion);
      if (checked.ok) {
        out.push({ fieldId: def.id, name, sensitive: def.isSensitive, value: checked.value });
      } else errors.push(checked.error);
    }
    if (mode === 'create') {
      for (const def of definitions) {
        if (def.isActive && def.isRequired && !(input && def.fieldName in input)) {
          errors.push({
            field: `custom_fields.${def.fieldName}`,
            code: 'required',
            message: `${def.fieldName} is required`,
          });
        }
      }
    }
    if (errors.length > 0) {
      throw new AppError('validation_failed', 'Custom field values break their rules', errors);
    }
    return out;
  }
}
