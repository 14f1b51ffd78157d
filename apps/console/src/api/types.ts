import type { components, operations } from './generated/schema';

/** Names for the generated schemas the pages use; every shape comes from openapi.json. */
type Schemas = components['schemas'];
export type Customer = Schemas['Customer'];
export type UpdateCustomer = Schemas['UpdateCustomer'];
export type SearchHit = Schemas['SearchHit'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Interaction = Schemas['Interaction'];
export type LogInteraction = Schemas['LogInteraction'];
export type Engagement = Schemas['Engagement'];
export type Problem = Schemas['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];
export type CustomerStatus = Customer['customer_status'];
export type TimelineKind = TimelineEntry['kind'];
export type LoggableType = LogInteraction['interaction_type'];
export type Money = NonNullable<Interaction['amount']>;
export type ListCustomersQuery = NonNullable<operations['listCustomers']['parameters']['query']>;
export type SearchCustomersQuery = NonNullable<
  operations['searchCustomers']['parameters']['query']
>;
export type Relationship = Schemas['Relationship'];
export type RelationshipType = Relationship['type'];
export type Household = NonNullable<Schemas['Household']>;
export type CustomerRelationships = Schemas['CustomerRelationships'];
export type ConsentState = Schemas['ConsentState'];
export type ConsentRecord = Schemas['ConsentRecord'];
export type RecordConsent = Schemas['RecordConsent'];
export type ConsentChannel = ConsentRecord['channel'];
export type ConsentPurpose = ConsentRecord['purpose'];
export type AuditEntry = Schemas['AuditEntry'];
export type Opportunity = Schemas['Opportunity'];
export type OpportunityStatus = Opportunity['status'];
export type CreateOpportunity = Schemas['CreateOpportunity'];
export type UpdateOpportunity = Schemas['UpdateOpportunity'];
export type TeamMember = Schemas['TeamMember'];
export type Tag = Schemas['Tag'];
export type BulkResult = Schemas['BulkResult'];
export type BulkTags = Schemas['BulkTags'];
export type BulkStage = Schemas['BulkStage'];
export type BulkAssign = Schemas['BulkAssign'];
export type CustomFieldDefinition = Schemas['CustomFieldDefinition'];
export type CustomFieldType = CustomFieldDefinition['field_type'];
export type FilterNode = Schemas['FilterNode'];
export type FilterScalar = Schemas['FilterScalar'];
