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
export type CustomFieldDefinition = Schemas['CustomFieldDefinition'];
export type CustomFieldType = CustomFieldDefinition['field_type'];
export type CustomFieldOption = Schemas['CustomFieldOption'];
export type CustomFieldValue = Schemas['CustomFieldValue'];
export type CreateCustomField = Schemas['CreateCustomField'];
export type CustomFieldValidation = Schemas['CustomFieldValidation'];
export type Tag = Schemas['Tag'];
export type UpdateTag = Schemas['UpdateTag'];
export type LifecycleStage = Schemas['LifecycleStage'];
export type TrackingSettings = Schemas['TrackingSettings'];
export type UpdateTrackingSettings = Schemas['UpdateTrackingSettings'];
export type TeamMember = Schemas['TeamMember'];
export type StaffRole = TeamMember['role'];
export type Team = Schemas['Team'];
export type UpdateTeamMember = Schemas['UpdateTeamMember'];
export type TenantSettings = Schemas['TenantSettings'];
