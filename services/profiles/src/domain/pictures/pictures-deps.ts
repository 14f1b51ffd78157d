import type { Db } from '@crm/service-kit';
import type { PicturesRepository } from '../../db/pictures.repository.js';
import type { CustomersDeps } from '../customers/customers-deps.js';

/** What the profile picture use cases work with, built once in service.ts. */
export interface PicturesDeps {
  db: Db;
  repo: PicturesRepository;
  /** A picture changes its customer's `profile_picture_url`, version and events. */
  customers: CustomersDeps;
}
