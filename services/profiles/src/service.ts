import type { ServiceDefinition } from '@crm/service-kit';
import { ProfilesConfig } from './config.js';
import { CustomersRepository } from './db/customers.repository.js';
import { profiles } from './db/schema.js';
import { CustomerService } from './domain/customers/customer-service.js';
import { bookingxHandlers } from './events/bookingx.handlers.js';
import { routes } from './http/routes.js';

export interface ProfilesDeps {
  customers: CustomerService;
}

export const profilesService: ServiceDefinition<ProfilesConfig, ProfilesDeps> = {
  name: 'profiles',
  schema: profiles,
  config: ProfilesConfig,
  defaultPort: 8081,
  build: ({ database, outbox, config }) => ({
    customers: new CustomerService(database.db, new CustomersRepository(), outbox, {
      defaultStage: config.DEFAULT_CUSTOMER_STAGE,
      autoCreateProfiles: config.AUTO_CREATE_PROFILES,
      phoneRegion: config.DEFAULT_PHONE_REGION,
    }),
  }),
  routes,
  handlers: (deps) => bookingxHandlers(deps.customers),
};
