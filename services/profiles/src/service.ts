import type { ServiceDefinition } from '@crm/service-kit';
import { ProfilesConfig } from './config.js';
import { AuditRepository } from './db/audit.repository.js';
import { MeiliSearchIndex } from './clients/meili-search.js';
import { ConsentRepository } from './db/consent.repository.js';
import { MergeRepository } from './db/merge.repository.js';
import { migrationsFolder } from './db/migrations-folder.js';
import { OpportunitiesRepository } from './db/opportunities.repository.js';
import { PicturesRepository } from './db/pictures.repository.js';
import { RelationshipsRepository } from './db/relationships.repository.js';
import { PostgresSearchIndex } from './db/search.repository.js';
import { CustomFieldsRepository } from './db/custom-fields.repository.js';
import { CustomersRepository } from './db/customers.repository.js';
import { profiles } from './db/schema.js';
import { StagesRepository } from './db/stages.repository.js';
import { TagsRepository } from './db/tags.repository.js';
import { ImportsRepository } from './db/imports.repository.js';
import { CustomerImports } from './domain/imports/customer-imports.js';
import { ImportRunner } from './domain/imports/run-import.js';
import { IMPORT_CONTENT_TYPE } from '@crm/contracts';
import { startImportJobs } from './jobs/import.jobs.js';
import { CustomerKeysRepository } from './db/customer-keys.repository.js';
import { ErasureRepository } from './db/erasure.repository.js';
import { SensitiveValuesRepository } from './db/sensitive-values.repository.js';
import { migrationsFolder } from './db/migrations-folder.js';
import { CustomerKeys } from './domain/privacy/customer-keys.js';
import { CustomerEraser } from './domain/privacy/erase-customer.js';
import { FieldCrypto, parseKeyring } from './domain/privacy/field-crypto.js';
import { SensitiveFields } from './domain/privacy/sensitive-fields.js';
import { AuditTrail } from './domain/audit/audit-trail.js';
import { ConsentLedger } from './domain/consent/consent-ledger.js';
import { CustomerExport } from './domain/export/export-customers.js';
import { ConsentCopier } from './domain/merge/consent-copier.js';
import { CustomerMerge } from './domain/merge/merge-customers.js';
import { Pipeline } from './domain/opportunities/pipeline.js';
import { ProfilePictures } from './domain/pictures/profile-pictures.js';
import { Relationships } from './domain/relationships/relationships.js';
import { CustomerSearch } from './domain/search/search-customers.js';
import { CustomFieldDefinitions } from './domain/custom-fields/custom-field-definitions.js';
import { CustomFieldValues } from './domain/custom-fields/custom-field-values.js';
import { CustomerEvents } from './domain/customers/customer-events.js';
import { CustomerService } from './domain/customers/customer-service.js';
import { LifecycleStagesService } from './domain/stages/lifecycle-stages.js';
import { TagCatalog } from './domain/tags/tag-catalog.js';
import { bookingxHandlers } from './events/bookingx.handlers.js';
import { searchHandlers } from './events/search.handlers.js';
import { routes } from './http/routes.js';

export interface ProfilesDeps {
  customers: CustomerService;
  tags: TagCatalog;
  stages: LifecycleStagesService;
  customFields: CustomFieldDefinitions;
  audit: AuditTrail;
  consent: ConsentLedger;
  search: CustomerSearch;
  merge: CustomerMerge;
  relationships: Relationships;
  pipeline: Pipeline;
  pictures: ProfilePictures;
  exporter: CustomerExport;
  imports: CustomerImports;
  importRunner: ImportRunner;
  eraser: CustomerEraser;
}

export const profilesService: ServiceDefinition<ProfilesConfig, ProfilesDeps> = {
  name: 'profiles',
  schema: profiles,
  migrationsFolder,
  config: ProfilesConfig,
  defaultPort: 8081,
  migrationsFolder,
  uploads: (config) => ({ types: [IMPORT_CONTENT_TYPE], limit: config.IMPORT_MAX_BYTES }),
  build: ({ database, outbox, config, logger }) => {
    const tagsRepo = new TagsRepository();
    const fieldsRepo = new CustomFieldsRepository();
    const customersRepo = new CustomersRepository();
    const keys = new CustomerKeys(
      new FieldCrypto(
        parseKeyring(config.FIELD_ENCRYPTION_KEYS, config.FIELD_ENCRYPTION_ACTIVE_KEY),
      ),
      new CustomerKeysRepository(),
    );
    const sensitive = new SensitiveFields(keys, fieldsRepo, new SensitiveValuesRepository());
    const audit = new AuditTrail(database.db, new AuditRepository(), customersRepo, keys);
    const relationshipsRepo = new RelationshipsRepository();
    const opportunitiesRepo = new OpportunitiesRepository();
    const mergeRepo = new MergeRepository(relationshipsRepo, opportunitiesRepo);
    const consentRepo = new ConsentRepository();
    const events = new CustomerEvents(outbox, audit);
    const stages = new LifecycleStagesService(
      database.db,
      new StagesRepository(),
      config.DEFAULT_CUSTOMER_STAGE,
    );
    const customers = new CustomerService(
      database.db,
      customersRepo,
      tagsRepo,
      stages,
      events,
      new CustomFieldValues(fieldsRepo, config.DEFAULT_PHONE_REGION, sensitive),
      fieldsRepo,
      mergeRepo,
      {
        defaultStage: config.DEFAULT_CUSTOMER_STAGE,
        autoCreateProfiles: config.AUTO_CREATE_PROFILES,
        phoneRegion: config.DEFAULT_PHONE_REGION,
      },
    );
    const index = config.MEILI_URL
      ? new MeiliSearchIndex(config.MEILI_URL, config.MEILI_API_KEY, config.MEILI_INDEX)
      : new PostgresSearchIndex(database.db);
    return {
      customers,
      search: new CustomerSearch(index, customersRepo, fieldsRepo, config.DEFAULT_PHONE_REGION),
      audit,
      imports: new CustomerImports(
        database.db,
        new ImportsRepository(),
        fieldsRepo,
        config.DEFAULT_PHONE_REGION,
      ),
      importRunner: new ImportRunner(
        database.db,
        new ImportsRepository(),
        fieldsRepo,
        customers,
        audit,
        outbox,
        logger,
      ),
      exporter: new CustomerExport(database.db, customersRepo, fieldsRepo, config.EXPORT_ENABLED),
      pipeline: new Pipeline(database.db, opportunitiesRepo, customersRepo),
      pictures: new ProfilePictures(
        database.db,
        new PicturesRepository(),
        customersRepo,
        customers,
      ),
      relationships: new Relationships(database.db, relationshipsRepo, customersRepo, audit),
      consent: new ConsentLedger(database.db, consentRepo, customersRepo, audit, outbox, keys),
      merge: new CustomerMerge(
        database.db,
        customersRepo,
        mergeRepo,
        fieldsRepo,
        new ConsentCopier(consentRepo),
        events,
        audit,
        outbox,
        sensitive,
      ),
      eraser: new CustomerEraser(
        database.db,
        customersRepo,
        new ErasureRepository(),
        keys,
        audit,
        outbox,
      ),
      stages,
      tags: new TagCatalog(database.db, tagsRepo, customers),
      customFields: new CustomFieldDefinitions(
        database.db,
        fieldsRepo,
        customers,
        outbox,
        config.MAX_CUSTOM_FIELDS,
      ),
    };
  },
  routes,
  handlers: (deps) => ({
    ...bookingxHandlers(deps.customers, deps.eraser),
    ...searchHandlers(deps.search),
  }),
  // A batch's audit entries join the tenant's chain just before commit, so batches of one
  // tenant queue for the chain only for their last statements.
  consumer: ({ audit }) => ({
    transaction: {
      begin: (ctx) => {
        audit.defer(ctx);
        ctx.onBeforeCommit(() => audit.flush(ctx));
      },
    },
  }),
  jobs: async (boss, deps, kit) => {
    await startImportJobs(boss, {
      db: kit.database.db,
      repo: new ImportsRepository(),
      imports: deps.imports,
      runner: deps.importRunner,
      logger: kit.logger,
      batchSize: kit.config.IMPORT_BATCH_SIZE,
    });
    // Creates the Meilisearch index and its settings when missing; Meilisearch re-indexes
    // documents that arrived before the settings.
    await deps.search.start();
  },
};
