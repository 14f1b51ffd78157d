export * from './audit.js';
export * from './consent.js';
export * from './custom-fields.js';
export * from './customers.js';
export * from './erasure.js';
export * from './imports.js';
export * from './merge.js';
export * from './opportunities.js';
export * from './pictures.js';
export * from './relationships.js';
export * from './search.js';
export * from './tags.js';
import { customersRoutes } from './customers.routes.js';
import { auditRoutes } from './audit.routes.js';
import { searchRoutes } from './search.routes.js';
import { mergeRoutes } from './merge.routes.js';
import { erasureRoutes } from './erasure.routes.js';
import { picturesRoutes } from './pictures.routes.js';
import { importsRoutes } from './imports.routes.js';
import { tagsRoutes } from './tags.routes.js';
import { customFieldsRoutes } from './custom-fields.routes.js';
import { consentRoutes } from './consent.routes.js';
import { meRoutes } from './me.routes.js';
import { relationshipsRoutes } from './relationships.routes.js';
import { opportunitiesRoutes } from './opportunities.routes.js';

/** Every route the profiles service serves. */
export const profilesRoutes = {
  ...customersRoutes,
  ...auditRoutes,
  ...searchRoutes,
  ...mergeRoutes,
  ...erasureRoutes,
  ...picturesRoutes,
  ...importsRoutes,
  ...tagsRoutes,
  ...customFieldsRoutes,
  ...consentRoutes,
  ...meRoutes,
  ...relationshipsRoutes,
  ...opportunitiesRoutes,
} as const;
