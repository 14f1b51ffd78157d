import { z } from 'zod';

/** Each type with the type the other customer sees: a parent's child sees a parent. */
export const RELATIONSHIP_INVERSES = {
  spouse: 'spouse',
  partner: 'partner',
  parent: 'child',
  child: 'parent',
  guardian: 'ward',
  ward: 'guardian',
  sibling: 'sibling',
  friend: 'friend',
  referred_by: 'referred',
  referred: 'referred_by',
  colleague: 'colleague',
} as const;
export type RelationshipType = keyof typeof RELATIONSHIP_INVERSES;
export const RelationshipType = z
  .enum(Object.keys(RELATIONSHIP_INVERSES) as [RelationshipType, ...RelationshipType[]])
  .describe(
    'What the related customer is to this one: `parent` means the related customer is this one’s parent',
  );

const Member = z.object({
  id: z.uuid(),
  first_name: z.string(),
  last_name: z.string(),
});

export const Relationship = z
  .object({
    id: z.uuid().describe('The same id on both customers’ lists'),
    customer_id: z.uuid(),
    related_customer: Member,
    type: RelationshipType,
    note: z.string().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Relationship' });
export type Relationship = z.infer<typeof Relationship>;

export const Household = z
  .object({
    id: z.uuid(),
    name: z.string(),
    members: z.array(Member).describe('The members the caller may see'),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Household' });
export type Household = z.infer<typeof Household>;

export const CustomerRelationships = z
  .object({
    data: z.array(Relationship).describe('Only relationships to customers the caller may see'),
    next_cursor: z.null(),
    household: Household.nullable(),
  })
  .meta({ id: 'CustomerRelationships' });
export type CustomerRelationships = z.infer<typeof CustomerRelationships>;

export const CreateRelationshipBody = z
  .object({
    related_customer_id: z.uuid(),
    type: RelationshipType,
    note: z.string().max(500).nullable().optional(),
  })
  .strict()
  .meta({ id: 'CreateRelationship' });
export type CreateRelationshipBody = z.infer<typeof CreateRelationshipBody>;

export const RelationshipParams = z.object({ id: z.uuid(), relationship_id: z.uuid() });

export const CreateHouseholdBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    member_ids: z.array(z.uuid()).min(1).max(50),
  })
  .strict()
  .meta({ id: 'CreateHousehold' });
export type CreateHouseholdBody = z.infer<typeof CreateHouseholdBody>;

export const UpdateHouseholdBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    add_member_ids: z.array(z.uuid()).max(50),
    remove_member_ids: z.array(z.uuid()).max(50),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateHousehold' });
export type UpdateHouseholdBody = z.infer<typeof UpdateHouseholdBody>;

export const HouseholdIdParams = z.object({ household_id: z.uuid() });
