import type { RequestHandler } from 'express';
import { IMPORT_CONTENT_TYPE, profilesRoutes as routes } from '@crm/contracts';
import { STREAMED, handle, reply, sendCsv, type ServiceDefinition } from '@crm/service-kit';
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
import { startImportJobs } from './jobs/import.jobs.js';
import { CustomerKeysRepository } from './db/customer-keys.repository.js';
import { ErasureRepository } from './db/erasure.repository.js';
import { SensitiveValuesRepository } from './db/sensitive-values.repository.js';
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
import type { CustomersDeps } from './domain/customers/customers-deps.js';
import { createCustomer } from './domain/customers/create-customer.js';
import { getCustomer } from './domain/customers/get-customer.js';
import { listCustomers, queryCustomers } from './domain/customers/list-customers.js';
import { updateCustomer } from './domain/customers/update-customer.js';
import { replaceCustomer } from './domain/customers/replace-customer.js';
import { changeCustomerTags } from './domain/customers/change-customer-tags.js';
import { bulkTagCustomers } from './domain/customers/bulk-tag-customers.js';
import { bulkSetStage } from './domain/customers/bulk-set-stage.js';
import { bulkAssignCustomers } from './domain/customers/bulk-assign-customers.js';
import { getMe } from './domain/me/get-me.js';
import { updateMe } from './domain/me/update-me.js';
import { LifecycleStagesService } from './domain/stages/lifecycle-stages.js';
import { TagCatalog } from './domain/tags/tag-catalog.js';
import { handlers } from './events/handlers.js';
import { refuseStaffOnlyFields, toMeDto } from './domain/me/self-service.js';

export interface ProfilesDeps {
  customers: CustomersDeps;
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
  uploads: (config) => ({ types: [IMPORT_CONTENT_TYPE], limit: config.IMPORT_MAX_BYTES }),
  members: true,
  build: ({ database, outbox, config, logger, members }) => {
    if (!members) throw new Error('the kit builds the staff directory replica of `members: true`');
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
    const customers: CustomersDeps = {
      db: database.db,
      repo: customersRepo,
      tags: tagsRepo,
      stages,
      events,
      fieldValues: new CustomFieldValues(fieldsRepo, config.DEFAULT_PHONE_REGION, sensitive),
      fieldsRepo,
      merges: mergeRepo,
      members,
      settings: {
        defaultStage: config.DEFAULT_CUSTOMER_STAGE,
        autoCreateProfiles: config.AUTO_CREATE_PROFILES,
        phoneRegion: config.DEFAULT_PHONE_REGION,
      },
    };
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
  routes: (deps) => [
    handle(routes.createCustomer, ({ principal, body }) =>
      createCustomer(deps.customers, principal, body),
    ),
    handle(routes.listCustomers, ({ principal, query }) =>
      listCustomers(deps.customers, principal, query),
    ),
    handle(routes.queryCustomers, ({ principal, body }) =>
      queryCustomers(deps.customers, principal, body),
    ),
    handle(routes.getCustomer, ({ principal, params }) =>
      getCustomer(deps.customers, principal, params.id),
    ),
    handle(routes.updateCustomer, ({ principal, params, body, headers }) =>
      updateCustomer(deps.customers, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.replaceCustomer, ({ principal, params, body, headers }) =>
      replaceCustomer(deps.customers, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.bulkTagCustomers, ({ principal, body }) =>
      bulkTagCustomers(deps.customers, principal, body),
    ),
    handle(routes.bulkSetStage, ({ principal, body }) =>
      bulkSetStage(deps.customers, principal, body),
    ),
    handle(routes.bulkAssign, ({ principal, body }) =>
      bulkAssignCustomers(deps.customers, principal, body),
    ),
    handle(routes.exportCustomers, async ({ principal, query, res }): Promise<typeof STREAMED> =>
      sendCsv(res, await deps.exporter.start(principal, query), { filename: 'customers.csv' }),
    ),
    handle(routes.setCustomerTags, ({ principal, params, body, headers }) =>
      changeCustomerTags(deps.customers, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.listCustomerDuplicates, async ({ principal, params }) => ({
      data: await deps.merge.duplicates(principal, params.id),
      next_cursor: null,
    })),
    handle(routes.mergeCustomers, ({ principal, params, body, headers }) =>
      deps.merge.merge(principal, params.id, body, headers['if-match']),
    ),
    handle(routes.listCustomerAudit, ({ principal, params, query }) =>
      deps.audit.list(principal, params.id, query),
    ),
    handle(routes.eraseCustomer, ({ principal, params, body }) =>
      deps.eraser.erase(principal, params.id, body),
    ),
    handle(routes.searchCustomers, ({ principal, query }) => deps.search.search(principal, query)),

    handle(routes.createCustomerImport, ({ principal, query, body }) =>
      deps.imports.start(principal, query, body),
    ),
    handle(routes.listCustomerImports, ({ principal, query }) =>
      deps.imports.list(principal, query),
    ),
    handle(routes.getCustomerImport, ({ principal, params }) =>
      deps.imports.get(principal, params.id),
    ),
    handle(routes.listCustomerImportErrors, ({ principal, params, query }) =>
      deps.imports.errors(principal, params.id, query),
    ),
    handle(
      routes.exportCustomerImportErrors,
      async ({ principal, params, res }): Promise<typeof STREAMED> =>
        sendCsv(res, await deps.imports.errorRows(principal, params.id), {
          filename: `import-${params.id}-errors.csv`,
        }),
    ),

    handle(routes.listTags, ({ principal, query }) => deps.tags.list(principal, query)),
    handle(routes.createTag, ({ principal, body }) => deps.tags.create(principal, body)),
    handle(routes.getTag, ({ principal, params }) => deps.tags.get(principal, params.tag_id)),
    handle(routes.updateTag, ({ principal, params, body, headers }) =>
      deps.tags.update(principal, params.tag_id, body, headers['if-match']),
    ),
    handle(routes.deleteTag, ({ principal, params, headers }) =>
      deps.tags.delete(principal, params.tag_id, headers['if-match']),
    ),

    handle(routes.getLifecycleStages, async ({ principal }) => {
      const list = await deps.stages.get(principal);
      return reply({ data: list.stages }, { version: list.version });
    }),
    handle(routes.putLifecycleStages, async ({ principal, body, headers }) => {
      const list = await deps.stages.put(principal, body, headers['if-match']);
      return reply({ data: list.stages }, { version: list.version });
    }),

    handle(routes.listCustomFields, async ({ principal, query }) => ({
      data: await deps.customFields.list(principal, query.include_inactive === 'true'),
      next_cursor: null,
    })),
    handle(routes.createCustomField, ({ principal, body }) =>
      deps.customFields.create(principal, body),
    ),
    handle(routes.reorderCustomFields, async ({ principal, body }) => ({
      data: await deps.customFields.reorder(principal, body),
      next_cursor: null,
    })),
    handle(routes.getCustomField, ({ principal, params }) =>
      deps.customFields.get(principal, params.field_id),
    ),
    handle(routes.updateCustomField, ({ principal, params, body, headers }) =>
      deps.customFields.update(principal, params.field_id, body, headers['if-match']),
    ),
    handle(routes.deleteCustomField, ({ principal, params, headers }) =>
      deps.customFields.delete(principal, params.field_id, headers['if-match']),
    ),

    handle(routes.getCustomerConsent, ({ principal, params }) =>
      deps.consent.state(principal, { customerId: params.id }),
    ),
    handle(routes.recordCustomerConsent, ({ principal, params, body }) =>
      deps.consent.record(principal, { customerId: params.id }, body),
    ),
    handle(routes.listCustomerConsentHistory, ({ principal, params, query }) =>
      deps.consent.history(principal, params.id, query),
    ),

    handle(routes.getMe, async ({ principal }) => toMeDto(await getMe(deps.customers, principal))),
    handle(
      routes.updateMe,
      async ({ principal, body, headers }) =>
        toMeDto(await updateMe(deps.customers, principal, body, headers['if-match'])),
      { before: [refuseStaffOnlyFieldsOfCustomers] },
    ),
    handle(routes.getMyConsent, ({ principal }) => deps.consent.state(principal, 'self')),
    handle(routes.recordMyConsent, ({ principal, body }) =>
      deps.consent.record(principal, 'self', { ...body, source: 'self_service' }),
    ),

    handle(routes.listCustomerRelationships, ({ principal, params }) =>
      deps.relationships.list(principal, params.id),
    ),
    handle(routes.createRelationship, ({ principal, params, body }) =>
      deps.relationships.create(principal, params.id, body),
    ),
    handle(routes.deleteRelationship, ({ principal, params }) =>
      deps.relationships.delete(principal, params.id, params.relationship_id),
    ),
    handle(routes.createHousehold, ({ principal, body }) =>
      deps.relationships.createHousehold(principal, body),
    ),
    handle(routes.getHousehold, ({ principal, params }) =>
      deps.relationships.getHousehold(principal, params.household_id),
    ),
    handle(routes.updateHousehold, ({ principal, params, body, headers }) =>
      deps.relationships.updateHousehold(principal, params.household_id, body, headers['if-match']),
    ),
    handle(routes.deleteHousehold, ({ principal, params, headers }) =>
      deps.relationships.deleteHousehold(principal, params.household_id, headers['if-match']),
    ),

    handle(routes.listCustomerOpportunities, ({ principal, params, query }) =>
      deps.pipeline.list(principal, query, params.id),
    ),
    handle(routes.createOpportunity, async ({ principal, params, body }) => {
      const opportunity = await deps.pipeline.create(principal, params.id, body);
      return reply(opportunity, { location: `/crm/opportunities/${opportunity.id}` });
    }),
    handle(routes.listOpportunities, ({ principal, query }) =>
      deps.pipeline.list(principal, query),
    ),
    handle(routes.getOpportunity, ({ principal, params }) =>
      deps.pipeline.get(principal, params.opportunity_id),
    ),
    handle(routes.updateOpportunity, ({ principal, params, body, headers }) =>
      deps.pipeline.update(principal, params.opportunity_id, body, headers['if-match']),
    ),
    handle(routes.getOpportunityStages, async ({ principal }) => {
      const { version, ...stages } = await deps.pipeline.stages(principal);
      return reply(stages, { version });
    }),
    handle(routes.putOpportunityStages, async ({ principal, body, headers }) => {
      const { version, ...stages } = await deps.pipeline.putStages(
        principal,
        body,
        headers['if-match'],
      );
      return reply(stages, { version });
    }),

    handle(routes.putCustomerPicture, ({ principal, params, body, headers }) =>
      deps.pictures.upload(principal, params.id, body, headers['if-match']),
    ),
    handle(
      routes.getCustomerPicture,
      async ({ principal, params, res }): Promise<typeof STREAMED> => {
        const picture = await deps.pictures.get(principal, params.id);
        res
          .set('ETag', `"${picture.sha256}"`)
          .set('Cache-Control', 'private, max-age=300')
          .set('X-Content-Type-Options', 'nosniff')
          .type(picture.contentType)
          .send(picture.content);
        return STREAMED;
      },
    ),
    handle(routes.deleteCustomerPicture, async ({ principal, params, headers }) => {
      await deps.pictures.remove(principal, params.id, headers['if-match']);
    }),
  ],
  handlers,
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

/**
 * Fields of a profile that only staff change are refused by name before the body is read,
 * so a customer learns why rather than seeing `unrecognized_key`.
 */
const refuseStaffOnlyFieldsOfCustomers: RequestHandler = (req, _res, next) => {
  if (req.principal?.role === 'customer') refuseStaffOnlyFields(req.body);
  next();
};
