import { z } from 'zod';
import * as http from '../common.js';
import {
  CreateCustomFieldBody,
  CustomFieldDefinition,
  CustomFieldIdParams,
  CustomFieldList,
  ListCustomFieldsQuery,
  ReorderCustomFieldsBody,
  UpdateCustomFieldBody,
} from './custom-fields.js';

export const customFieldsRoutes = {
  listCustomFields: {
    id: 'listCustomFields',
    method: 'get',
    path: '/crm/custom-fields',
    service: 'profiles',
    summary: 'Custom field definitions',
    description: 'In display order; inactive ones only when asked for.',
    tags: ['Custom fields'],
    roles: http.STAFF,
    request: { query: ListCustomFieldsQuery },
    responses: {
      200: http.json('The definitions.', CustomFieldList),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  createCustomField: {
    id: 'createCustomField',
    method: 'post',
    path: '/crm/custom-fields',
    service: 'profiles',
    summary: 'Define a custom field',
    description:
      'At most `max_custom_fields` definitions per tenant (default 50). Publishes `crm.custom_field.created.v1`.',
    tags: ['Custom fields'],
    roles: http.ADMIN,
    request: { body: CreateCustomFieldBody, headers: http.IdempotencyKeyHeader },
    responses: {
      201: http.json(
        'The definition.',
        CustomFieldDefinition,
        z.object({ Location: z.string(), ETag: http.VersionETag }),
      ),
      ...http.guardedInput,
      409: http.problem(
        'A field of this name exists, or the tenant has `max_custom_fields` definitions (code `conflict`).',
      ),
    },
    auth: 'jwt',
  },
  reorderCustomFields: {
    id: 'reorderCustomFields',
    method: 'post',
    path: '/crm/custom-fields/reorder',
    service: 'profiles',
    summary: 'Put the custom fields in a new display order',
    description:
      'Name every definition once. Publishes `crm.custom_field.updated.v1` for each that moved.',
    tags: ['Custom fields'],
    roles: http.ADMIN,
    request: { body: ReorderCustomFieldsBody, headers: http.IdempotencyKeyHeader },
    responses: {
      200: http.json('The definitions in their new order.', CustomFieldList),
      ...http.guardedInput,
    },
    auth: 'jwt',
  },
  getCustomField: {
    id: 'getCustomField',
    method: 'get',
    path: '/crm/custom-fields/{field_id}',
    service: 'profiles',
    summary: 'Get a custom field definition',
    tags: ['Custom fields'],
    roles: http.STAFF,
    request: { params: CustomFieldIdParams },
    responses: {
      200: http.json(
        'The definition.',
        CustomFieldDefinition,
        z.object({ ETag: http.VersionETag }),
      ),
      ...http.guarded,
      404: http.problem('No such custom field in the tenant (code `not_found`).'),
    },
    auth: 'jwt',
  },
  updateCustomField: {
    id: 'updateCustomField',
    method: 'patch',
    path: '/crm/custom-fields/{field_id}',
    service: 'profiles',
    summary: 'Change a custom field definition',
    description:
      'Label, options, required, rules, order and active state; the name and type stay. Stored values are not re-checked against new rules, but every later write is. Publishes `crm.custom_field.updated.v1`.',
    tags: ['Custom fields'],
    roles: http.ADMIN,
    request: {
      params: CustomFieldIdParams,
      body: UpdateCustomFieldBody,
      headers: http.IfMatchHeader,
    },
    responses: {
      200: http.json(
        'The definition after the change.',
        CustomFieldDefinition,
        z.object({ ETag: http.VersionETag }),
      ),
      ...http.guardedInput,
      404: http.problem('No such custom field in the tenant (code `not_found`).'),
      412: http.stale,
    },
    auth: 'jwt',
  },
  deleteCustomField: {
    id: 'deleteCustomField',
    method: 'delete',
    path: '/crm/custom-fields/{field_id}',
    service: 'profiles',
    summary: 'Delete a custom field and every value of it',
    description:
      'Publishes `crm.custom_field.deleted.v1`, and `crm.customer.updated.v1` for each customer that had a value. To hide a field but keep its values, set `is_active` to false instead.',
    tags: ['Custom fields'],
    roles: http.ADMIN,
    request: { params: CustomFieldIdParams, headers: http.IfMatchHeader },
    responses: {
      204: { description: 'Deleted.' },
      ...http.guarded,
      404: http.problem('No such custom field in the tenant (code `not_found`).'),
      412: http.stale,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
