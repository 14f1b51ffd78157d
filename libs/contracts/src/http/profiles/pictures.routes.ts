import { z } from 'zod';
import * as http from '../common.js';
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
    roles: http.CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, body: UploadPictureBody, headers: http.IfMatchHeader },
    responses: {
      200: http.json('The customer with its new picture.', Customer, z.object({ ETag: http.ETag })),
      ...http.guardedInput,
      404: http.customerNotFound,
      412: http.stale,
      413: http.problem('The picture is larger than allowed (code `payload_too_large`).'),
      415: http.problem(
        'The bytes are not a PNG, JPEG or WebP image (code `unsupported_media_type`).',
      ),
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
    roles: http.STAFF,
    request: { params: CustomerIdParams },
    responses: {
      200: {
        description: 'The thumbnail.',
        contentType: 'image/webp',
        schema: z.string().meta({ format: 'binary' }),
        headers: z.object({ ETag: z.string() }),
      },
      ...http.guarded,
      404: http.problem(
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
    roles: http.CUSTOMER_EDITORS,
    request: { params: CustomerIdParams, headers: http.IfMatchHeader },
    responses: {
      204: { description: 'Removed; `profile_picture_url` is null.' },
      ...http.guarded,
      404: http.problem(
        'No such customer for the caller, or it has no uploaded picture (code `not_found`).',
      ),
      412: http.stale,
    },
    auth: 'jwt',
  },
} as const satisfies Record<string, http.RouteDefinition>;
