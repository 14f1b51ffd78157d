import { z } from 'zod';
import {
  CUSTOMER_EDITORS,
  ETag,
  IfMatchHeader,
  STAFF,
  customerNotFound,
  guarded,
  guardedInput,
  json,
  problem,
  stale,
  type RouteDefinition,
} from '../common.js';
import { Customer, CustomerIdParams } from './customers.js';
import { UploadPictureBody } from './pictures.js';

export const picturesRoutes = {
  putCustomerPicture: {
    id: 'putCustomerPicture',
    method: 'put',
    path: '/crm/customers/{id}/picture',
    service: 'profiles',
    summary: "Upload a customer's profile picture",
    description:
      'The bytes are checked to be PNG, JPEG or WebP whatever they claim, decoded, and stored as a WebP thumbnail of at most 256 pixels a side; `profile_picture_url` then points at it. Publishes `crm.customer.updated.v1`.',
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: UploadPictureBody, headers: IfMatchHeader },
    responses: {
      200: json('The customer with its new picture.', Customer, z.object({ ETag })),
      ...guardedInput,
      404: customerNotFound,
      412: stale,
      413: problem('The picture is larger than allowed (code `payload_too_large`).'),
      415: problem('The bytes are not a PNG, JPEG or WebP image (code `unsupported_media_type`).'),
    },
    auth: 'jwt',
  },
  getCustomerPicture: {
    id: 'getCustomerPicture',
    method: 'get',
    path: '/crm/customers/{id}/picture',
    service: 'profiles',
    summary: "A customer's profile picture",
    tags: ['Customers'],
    roles: STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: {
        description: 'The thumbnail.',
        contentType: 'image/webp',
        schema: z.string().meta({ format: 'binary' }),
        headers: z.object({ ETag: z.string() }),
      },
      ...guarded,
      404: problem(
        'No such customer for the caller, or it has no uploaded picture (code `not_found`).',
      ),
    },
    auth: 'jwt',
  },
  deleteCustomerPicture: {
    id: 'deleteCustomerPicture',
    method: 'delete',
    path: '/crm/customers/{id}/picture',
    service: 'profiles',
    summary: "Remove a customer's profile picture",
    tags: ['Customers'],
    roles: CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, headers: IfMatchHeader },
    responses: {
      204: { description: 'Removed; `profile_picture_url` is null.' },
      ...guarded,
      404: problem(
        'No such customer for the caller, or it has no uploaded picture (code `not_found`).',
      ),
      412: stale,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, RouteDefinition>;
