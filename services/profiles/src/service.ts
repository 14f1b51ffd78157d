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
import { SearchReindexRepository } from './db/search-reindex.repository.js';
import { CustomFieldsRepository } from './db/custom-fields.repository.js';
import { CustomersRepository } from './db/customers.repository.js';
import { profiles } from './db/schema.js';
import { StagesRepository } from './db/stages.repository.js';
import { TagsRepository } from './db/tags.repository.js';
import { ImportsRepository } from './db/imports.repository.js';
import { createCustomerImport } from './domain/imports/create-customer-import.js';
import { listCustomerImports } from './domain/imports/list-customer-imports.js';
import { getCustomerImport } from './domain/imports/get-customer-import.js';
import { listCustomerImportErrors } from './domain/imports/list-customer-import-errors.js';
import { exportCustomerImportErrors } from './domain/imports/export-customer-import-errors.js';
import { startImportJobs } from './jobs/import.jobs.js';
import { ErasureRepository } from './db/erasure.repository.js';
import { SensitiveValuesRepository } from './db/sensitive-values.repository.js';
import { eraseCustomer } from './domain/privacy/erase-customer.js';
import { customerKeysOf } from './keyring.js';
import { SensitiveFields } from './domain/privacy/sensitive-fields.js';
import { AuditTrail } from './domain/audit/audit-trail.js';
import { listCustomerAudit } from './domain/audit/list-customer-audit.js';
import { getConsent } from './domain/consent/get-consent.js';
import { listConsentHistory } from './domain/consent/list-consent-history.js';
import { recordConsent } from './domain/consent/record-consent.js';
import { exportCustomers } from './domain/export/export-customers.js';
import { listCustomerDuplicates } from './domain/merge/list-customer-duplicates.js';
import { mergeCustomers } from './domain/merge/merge-customers.js';
import { listOpportunities } from './domain/opportunities/list-opportunities.js';
import { getOpportunity } from './domain/opportunities/get-opportunity.js';
import { createOpportunity } from './domain/opportunities/create-opportunity.js';
import { updateOpportunity } from './domain/opportunities/update-opportunity.js';
import { getOpportunityStages } from './domain/opportunities/get-opportunity-stages.js';
import { putOpportunityStages } from './domain/opportunities/put-opportunity-stages.js';
import { putCustomerPicture } from './domain/pictures/put-customer-picture.js';
import { getCustomerPicture } from './domain/pictures/get-customer-picture.js';
import { deleteCustomerPicture } from './domain/pictures/delete-customer-picture.js';
import { listCustomerRelationships } from './domain/relationships/list-customer-relationships.js';
import { createRelationship } from './domain/relationships/create-relationship.js';
import { deleteRelationship } from './domain/relationships/delete-relationship.js';
import { createHousehold } from './domain/relationships/create-household.js';
import { getHousehold } from './domain/relationships/get-household.js';
import { updateHousehold } from './domain/relationships/update-household.js';
import { deleteHousehold } from './domain/relationships/delete-household.js';
import { searchCustomers } from './domain/search/search-customers.js';
import { listCustomFields } from './domain/custom-fields/list-custom-fields.js';
import { getCustomField } from './domain/custom-fields/get-custom-field.js';
import { createCustomField } from './domain/custom-fields/create-custom-field.js';
import { updateCustomField } from './domain/custom-fields/update-custom-field.js';
import { deleteCustomField } from './domain/custom-fields/delete-custom-field.js';
import { reorderCustomFields } from './domain/custom-fields/reorder-custom-fields.js';
import { CustomFieldValues } from './domain/custom-fields/custom-field-values.js';
import { CustomerEvents } from './domain/customers/customer-events.js';
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
import { getLifecycleStages } from './domain/stages/get-lifecycle-stages.js';
import { putLifecycleStages } from './domain/stages/put-lifecycle-stages.js';
import { listTags } from './domain/tags/list-tags.js';
import { getTag } from './domain/tags/get-tag.js';
import { createTag } from './domain/tags/create-tag.js';
import { updateTag } from './domain/tags/update-tag.js';
import { deleteTag } from './domain/tags/delete-tag.js';
import type { ProfilesDeps } from './deps.js';
import type { AuditDeps } from './domain/audit/audit-deps.js';
import type { CustomersDeps } from './domain/customers/customers-deps.js';
import type { StagesDeps } from './domain/stages/stages-deps.js';
import { handlers } from './events/handlers.js';
import { refuseStaffOnlyFields, toMeDto } from './domain/me/self-service.js';

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
    const db = database.db;
    const clock = (): Date => new Date();
    const tagsRepo = new TagsRepository();
    const fieldsRepo = new CustomFieldsRepository();
    const customersRepo = new CustomersRepository();
    const keys = customerKeysOf(config);
    const sensitive = new SensitiveFields({
      keys,
      fields: fieldsRepo,
      clear: new SensitiveValuesRepository(),
    });
    const auditRepo = new AuditRepository();
    const trail = new AuditTrail({ repo: auditRepo, keys, clock });
    const audit: AuditDeps = {
      db,
      repo: auditRepo,
      customers: customersRepo,
      keys,
      trail,
    };
    const relationshipsRepo = new RelationshipsRepository();
    const opportunitiesRepo = new OpportunitiesRepository();
    const mergeRepo = new MergeRepository({
      relationships: relationshipsRepo,
      opportunities: opportunitiesRepo,
    });
    const consentRepo = new ConsentRepository();
    const events = new CustomerEvents({ outbox, audit: trail });
    const stages: StagesDeps = {
      db,
      repo: new StagesRepository(),
      defaultStage: config.DEFAULT_CUSTOMER_STAGE,
    };
    const customers: CustomersDeps = {
      db,
      repo: customersRepo,
      tags: tagsRepo,
      stages,
      events,
      fieldValues: new CustomFieldValues({
        fields: fieldsRepo,
        phoneRegion: config.DEFAULT_PHONE_REGION,
        sensitive,
      }),
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
      ? new MeiliSearchIndex({
          url: config.MEILI_URL,
          apiKey: config.MEILI_API_KEY,
          index: config.MEILI_INDEX,
        })
      : new PostgresSearchIndex(db);
    return {
      customers,
      search: {
        db,
        index,
        customers: customersRepo,
        fields: fieldsRepo,
        repo: new SearchReindexRepository(),
        phoneRegion: config.DEFAULT_PHONE_REGION,
      },
      audit,
      imports: {
        db,
        repo: new ImportsRepository(),
        fields: fieldsRepo,
        customers,
        audit: trail,
        outbox,
        logger,
        clock,
        phoneRegion: config.DEFAULT_PHONE_REGION,
      },
      exports: {
        db,
        customers: customersRepo,
        fields: fieldsRepo,
        enabled: config.EXPORT_ENABLED,
      },
      opportunities: {
        db,
        repo: opportunitiesRepo,
        customers: customersRepo,
        clock,
      },
      pictures: { db, repo: new PicturesRepository(), customers },
      relationships: {
        db,
        repo: relationshipsRepo,
        customers: customersRepo,
        audit: trail,
      },
      consent: {
        db,
        repo: consentRepo,
        customers: customersRepo,
        audit: trail,
        outbox,
        keys,
        clock,
      },
      merge: {
        db,
        repo: mergeRepo,
        customers: customersRepo,
        fields: fieldsRepo,
        consent: consentRepo,
        events,
        audit: trail,
        outbox,
        sensitive,
        clock,
      },
      erasure: {
        db,
        repo: new ErasureRepository(),
        customers: customersRepo,
        keys,
        audit: trail,
        outbox,
        clock,
      },
      stages,
      tags: { db, repo: tagsRepo, customers },
      customFields: {
        db,
        repo: fieldsRepo,
        customers,
        outbox,
        maxFields: config.MAX_CUSTOM_FIELDS,
      },
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
      sendCsv(res, await exportCustomers(deps.exports, principal, query), {
        filename: 'customers.csv',
      }),
    ),
    handle(routes.setCustomerTags, ({ principal, params, body, headers }) =>
      changeCustomerTags(deps.customers, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.listCustomerDuplicates, async ({ principal, params }) => ({
      data: await listCustomerDuplicates(deps.merge, principal, params.id),
      next_cursor: null,
    })),
    handle(routes.mergeCustomers, ({ principal, params, body, headers }) =>
      mergeCustomers(deps.merge, principal, params.id, body, headers['if-match']),
    ),
    handle(routes.listCustomerAudit, ({ principal, params, query }) =>
      listCustomerAudit(deps.audit, principal, params.id, query),
    ),
    handle(routes.eraseCustomer, ({ principal, params, body }) =>
      eraseCustomer(deps.erasure, principal, params.id, body),
    ),
    handle(routes.searchCustomers, ({ principal, query }) =>
      searchCustomers(deps.search, principal, query),
    ),

    handle(routes.createCustomerImport, ({ principal, query, body }) =>
      createCustomerImport(deps.imports, principal, query, body),
    ),
    handle(routes.listCustomerImports, ({ principal, query }) =>
      listCustomerImports(deps.imports, principal, query),
    ),
    handle(routes.getCustomerImport, ({ principal, params }) =>
      getCustomerImport(deps.imports, principal, params.id),
    ),
    handle(routes.listCustomerImportErrors, ({ principal, params, query }) =>
      listCustomerImportErrors(deps.imports, principal, params.id, query),
    ),
    handle(
      routes.exportCustomerImportErrors,
      async ({ principal, params, res }): Promise<typeof STREAMED> =>
        sendCsv(res, await exportCustomerImportErrors(deps.imports, principal, params.id), {
          filename: `import-${params.id}-errors.csv`,
        }),
    ),

    handle(routes.listTags, ({ principal, query }) => listTags(deps.tags, principal, query)),
    handle(routes.createTag, ({ principal, body }) => createTag(deps.tags, principal, body)),
    handle(routes.getTag, ({ principal, params }) => getTag(deps.tags, principal, params.tag_id)),
    handle(routes.updateTag, ({ principal, params, body, headers }) =>
      updateTag(deps.tags, principal, params.tag_id, body, headers['if-match']),
    ),
    handle(routes.deleteTag, ({ principal, params, headers }) =>
      deleteTag(deps.tags, principal, params.tag_id, headers['if-match']),
    ),

    handle(routes.getLifecycleStages, async ({ principal }) => {
      const list = await getLifecycleStages(deps.stages, principal);
      return reply({ data: list.stages }, { version: list.version });
    }),
    handle(routes.putLifecycleStages, async ({ principal, body, headers }) => {
      const list = await putLifecycleStages(deps.stages, principal, body, headers['if-match']);
      return reply({ data: list.stages }, { version: list.version });
    }),

    handle(routes.listCustomFields, async ({ principal, query }) => ({
      data: await listCustomFields(deps.customFields, principal, query.include_inactive === 'true'),
      next_cursor: null,
    })),
    handle(routes.createCustomField, ({ principal, body }) =>
      createCustomField(deps.customFields, principal, body),
    ),
    handle(routes.reorderCustomFields, async ({ principal, body }) => ({
      data: await reorderCustomFields(deps.customFields, principal, body),
      next_cursor: null,
    })),
    handle(routes.getCustomField, ({ principal, params }) =>
      getCustomField(deps.customFields, principal, params.field_id),
    ),
    handle(routes.updateCustomField, ({ principal, params, body, headers }) =>
      updateCustomField(deps.customFields, principal, params.field_id, body, headers['if-match']),
    ),
    handle(routes.deleteCustomField, ({ principal, params, headers }) =>
      deleteCustomField(deps.customFields, principal, params.field_id, headers['if-match']),
    ),

    handle(routes.getCustomerConsent, ({ principal, params }) =>
      getConsent(deps.consent, principal, { customerId: params.id }),
    ),
    handle(routes.recordCustomerConsent, ({ principal, params, body }) =>
      recordConsent(deps.consent, principal, { customerId: params.id }, body),
    ),
    handle(routes.listCustomerConsentHistory, ({ principal, params, query }) =>
      listConsentHistory(deps.consent, principal, params.id, query),
    ),

    handle(routes.getMe, async ({ principal }) => toMeDto(await getMe(deps.customers, principal))),
    handle(
      routes.updateMe,
      async ({ principal, body, headers }) =>
        toMeDto(await updateMe(deps.customers, principal, body, headers['if-match'])),
      { before: [refuseStaffOnlyFieldsOfCustomers] },
    ),
    handle(routes.getMyConsent, ({ principal }) => getConsent(deps.consent, principal, 'self')),
    handle(routes.recordMyConsent, ({ principal, body }) =>
      recordConsent(deps.consent, principal, 'self', { ...body, source: 'self_service' }),
    ),

    handle(routes.listCustomerRelationships, ({ principal, params }) =>
      listCustomerRelationships(deps.relationships, principal, params.id),
    ),
    handle(routes.createRelationship, ({ principal, params, body }) =>
      createRelationship(deps.relationships, principal, params.id, body),
    ),
    handle(routes.deleteRelationship, ({ principal, params }) =>
      deleteRelationship(deps.relationships, principal, params.id, params.relationship_id),
    ),
    handle(routes.createHousehold, ({ principal, body }) =>
      createHousehold(deps.relationships, principal, body),
    ),
    handle(routes.getHousehold, ({ principal, params }) =>
      getHousehold(deps.relationships, principal, params.household_id),
    ),
    handle(routes.updateHousehold, ({ principal, params, body, headers }) =>
      updateHousehold(
        deps.relationships,
        principal,
        params.household_id,
        body,
        headers['if-match'],
      ),
    ),
    handle(routes.deleteHousehold, ({ principal, params, headers }) =>
      deleteHousehold(deps.relationships, principal, params.household_id, headers['if-match']),
    ),

    handle(routes.listCustomerOpportunities, ({ principal, params, query }) =>
      listOpportunities(deps.opportunities, principal, query, params.id),
    ),
    handle(routes.createOpportunity, async ({ principal, params, body }) => {
      const opportunity = await createOpportunity(deps.opportunities, principal, params.id, body);
      return reply(opportunity, { location: `/crm/opportunities/${opportunity.id}` });
    }),
    handle(routes.listOpportunities, ({ principal, query }) =>
      listOpportunities(deps.opportunities, principal, query),
    ),
    handle(routes.getOpportunity, ({ principal, params }) =>
      getOpportunity(deps.opportunities, principal, params.opportunity_id),
    ),
    handle(routes.updateOpportunity, ({ principal, params, body, headers }) =>
      updateOpportunity(
        deps.opportunities,
        principal,
        params.opportunity_id,
        body,
        headers['if-match'],
      ),
    ),
    handle(routes.getOpportunityStages, async ({ principal }) => {
      const { version, ...stages } = await getOpportunityStages(deps.opportunities, principal);
      return reply(stages, { version });
    }),
    handle(routes.putOpportunityStages, async ({ principal, body, headers }) => {
      const { version, ...stages } = await putOpportunityStages(
        deps.opportunities,
        principal,
        body,
        headers['if-match'],
      );
      return reply(stages, { version });
    }),

    handle(routes.putCustomerPicture, ({ principal, params, body, headers }) =>
      putCustomerPicture(deps.pictures, principal, params.id, body, headers['if-match']),
    ),
    handle(
      routes.getCustomerPicture,
      async ({ principal, params, res }): Promise<typeof STREAMED> => {
        const picture = await getCustomerPicture(deps.pictures, principal, params.id);
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
      await deleteCustomerPicture(deps.pictures, principal, params.id, headers['if-match']);
    }),
  ],
  handlers,
  // A batch's audit entries join the tenant's chain just before commit, so batches of one
  // tenant queue for the chain only for their last statements.
  consumer: ({ audit }) => ({
    transaction: {
      begin: (ctx) => {
        audit.trail.defer(ctx);
        ctx.onBeforeCommit(() => audit.trail.flush(ctx));
      },
    },
  }),
  jobs: async (boss, deps, kit) => {
    await startImportJobs(boss, deps.imports, kit.config.IMPORT_BATCH_SIZE);
    // Creates the Meilisearch index and its settings when missing; Meilisearch re-indexes
    // documents that arrived before the settings.
    await deps.search.index.start();
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
