import { z } from 'zod';
import { PageQuery, pageOf } from '../../pagination.js';
import { StaffRole } from '../../roles.js';

export const MemberId = z
  .string()
  .min(1)
  .max(255)
  .describe("The member's subject (`sub`) at the identity provider: the id their tokens carry");

export const TeamId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^\S+$/, 'No spaces')
  .describe('The id tokens name the team by in `teams`, and customers in `team_id`');

const memberName = z.string().trim().min(1).max(200);
const teamName = z.string().trim().min(1).max(100);

export const TeamRef = z.object({ id: z.string(), name: z.string() }).meta({ id: 'TeamRef' });
export type TeamRef = z.infer<typeof TeamRef>;

const memberFields = {
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  role: StaffRole,
  teams: z.array(TeamRef).describe('Teams the member belongs to, by name'),
  active: z.boolean().describe('A deactivated member is refused at the gateway (403)'),
  version: z.number().int().positive(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
};

/** What events carry: the member without when they were last seen, which changes silently. */
export const TeamMemberSnapshot = z.object(memberFields).meta({ id: 'TeamMemberSnapshot' });
export type TeamMemberSnapshot = z.infer<typeof TeamMemberSnapshot>;

export const TeamMember = z
  .object({
    ...memberFields,
    last_seen_at: z.iso
      .datetime()
      .nullable()
      .describe('Their last request through the gateway, to within a few minutes'),
  })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamMemberPage = pageOf(TeamMember).meta({ id: 'TeamMemberPage' });
export type TeamMemberPage = z.infer<typeof TeamMemberPage>;

export const ListTeamQuery = PageQuery.extend({
  role: StaffRole.optional(),
  team_id: TeamId.optional().describe('Members of this team'),
  active: z
    .enum(['true', 'false'])
    .optional()
    .describe('Only active, or only deactivated, members'),
  q: z.string().min(1).max(100).optional().describe('Part of the name or email, case-insensitive'),
}).strict();
export type ListTeamQuery = z.infer<typeof ListTeamQuery>;

export const TeamMemberParams = z.object({ id: MemberId });

export const AddTeamMemberBody = z
  .object({
    id: MemberId.optional().describe(
      "The subject the identity provider gives them; left out, a new id for their tokens' `sub`",
    ),
    name: memberName,
    email: z.email().max(320).nullable().optional().describe('Unique within the tenant'),
    role: StaffRole,
    team_ids: z.array(TeamId).max(50).default([]).describe('Teams of the directory to join'),
  })
  .strict()
  .meta({ id: 'AddTeamMember' });
export type AddTeamMemberBody = z.infer<typeof AddTeamMemberBody>;

export const UpdateTeamMemberBody = z
  .object({
    name: memberName,
    email: z.email().max(320).nullable(),
    role: StaffRole,
    active: z.boolean().describe('false deactivates the member, true reactivates them'),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateTeamMember' });
export type UpdateTeamMemberBody = z.infer<typeof UpdateTeamMemberBody>;

export const Team = z
  .object({
    id: z.string(),
    name: z.string(),
    member_count: z.number().int().min(0),
    version: z.number().int().positive(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof Team>;

export const TeamPage = pageOf(Team).meta({ id: 'TeamPage' });
export type TeamPage = z.infer<typeof TeamPage>;

export const ListTeamsQuery = PageQuery.strict();
export type ListTeamsQuery = z.infer<typeof ListTeamsQuery>;

export const TeamParams = z.object({ id: TeamId });

export const CreateTeamBody = z
  .object({
    id: TeamId.optional().describe(
      'The id the identity provider puts in `teams`; left out, a new one',
    ),
    name: teamName.describe('Unique within the tenant, case-insensitively'),
  })
  .strict()
  .meta({ id: 'CreateTeam' });
export type CreateTeamBody = z.infer<typeof CreateTeamBody>;

export const UpdateTeamBody = z
  .object({ name: teamName })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'Send at least one field to change' })
  .meta({ id: 'UpdateTeam' });
export type UpdateTeamBody = z.infer<typeof UpdateTeamBody>;

export const TeamMembersBody = z
  .object({
    member_ids: z
      .array(MemberId)
      .max(500)
      .describe('Every member of the team from now on; members left out leave it'),
  })
  .strict()
  .meta({ id: 'TeamMembers' });
export type TeamMembersBody = z.infer<typeof TeamMembersBody>;
