import { z } from 'zod';

/**
 * The one filter language (DESIGN section 6): a JSON tree of `and | or | not` groups over
 * leaves. Semantics, the same in the SQL compiler and the in-memory evaluator, are in
 * docs/filter-language.md.
 */

export const FILTER_LIMITS = {
  /** Groups nested deeper than this are refused. */
  maxDepth: 8,
  /** Groups and leaves together, behavioural `where` trees included. */
  maxNodes: 200,
  /** Values in one `in` / `not_in` list. */
  maxListValues: 500,
  /** Characters of one string value. */
  maxStringLength: 500,
} as const;

export const COMPARE_OPS = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const;
export const LIST_OPS = ['in', 'not_in'] as const;
export const TEXT_OPS = ['contains', 'not_contains', 'starts_with'] as const;
export const PRESENCE_OPS = ['is_set', 'is_not_set'] as const;
export const DATE_OPS = ['before_date', 'after_date'] as const;
export const CHANGE_OPS = ['changed_from', 'changed_to'] as const;

export const FILTER_OPS = [
  ...COMPARE_OPS,
  'between',
  ...LIST_OPS,
  ...TEXT_OPS,
  ...PRESENCE_OPS,
  'within_last',
  ...DATE_OPS,
  'anniversary_in',
  ...CHANGE_OPS,
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export const TIME_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

const fieldKey = z
  .string()
  .min(1)
  .max(100)
  .describe('A key of the field catalog, e.g. `customer_stage`, `tags`, `custom.shoe_size`');

// PostgreSQL text cannot hold NUL, so it is refused here rather than failing in SQL.
const text = z
  .string()
  .max(FILTER_LIMITS.maxStringLength)
  .refine((v) => !v.includes('\u0000'), 'No NUL characters');
export const FilterScalar = z.union([text, z.number(), z.boolean()]).meta({ id: 'FilterScalar' });
export type FilterScalar = z.infer<typeof FilterScalar>;

export const TimeWindow = z
  .object({
    amount: z.number().int().min(1).max(100_000),
    unit: z.enum(TIME_UNITS),
  })
  .strict()
  .meta({ id: 'FilterTimeWindow', description: 'A span back from now, e.g. 90 days' });
export type TimeWindow = z.infer<typeof TimeWindow>;

const isoDate = z.iso.date().describe('Calendar date, YYYY-MM-DD (UTC)');

const compareLeaf = z
  .object({ field: fieldKey, op: z.enum(COMPARE_OPS), value: FilterScalar })
  .strict();
const betweenLeaf = z
  .object({
    field: fieldKey,
    op: z.literal('between'),
    value: z.tuple([FilterScalar, FilterScalar]).describe('[low, high], both inclusive'),
  })
  .strict();
const listLeaf = z
  .object({
    field: fieldKey,
    op: z.enum(LIST_OPS),
    value: z.array(FilterScalar).min(1).max(FILTER_LIMITS.maxListValues),
  })
  .strict();
const textLeaf = z.object({ field: fieldKey, op: z.enum(TEXT_OPS), value: text.min(1) }).strict();
const presenceLeaf = z.object({ field: fieldKey, op: z.enum(PRESENCE_OPS) }).strict();
const withinLeaf = z
  .object({ field: fieldKey, op: z.literal('within_last'), value: TimeWindow })
  .strict();
const dateLeaf = z.object({ field: fieldKey, op: z.enum(DATE_OPS), value: isoDate }).strict();
const anniversaryLeaf = z
  .object({
    field: fieldKey,
    op: z.literal('anniversary_in'),
    value: z
      .object({ days: z.number().int().min(0).max(365) })
      .strict()
      .describe('The month and day fall today or within the next `days` days'),
  })
  .strict();
const changeLeaf = z
  .object({ field: fieldKey, op: z.enum(CHANGE_OPS), value: FilterScalar.nullable() })
  .strict();

export const FieldLeaf = z
  .discriminatedUnion('op', [
    compareLeaf,
    betweenLeaf,
    listLeaf,
    textLeaf,
    presenceLeaf,
    withinLeaf,
    dateLeaf,
    anniversaryLeaf,
    changeLeaf,
  ])
  .meta({
    id: 'FilterLeaf',
    description: 'One condition on one field of the catalog: `{field, op, value}`',
  });
export type FieldLeaf = z.infer<typeof FieldLeaf>;

export type CompareOp = (typeof COMPARE_OPS)[number];
export type CompareLeaf = z.infer<typeof compareLeaf>;

export function isCompareOp(op: FilterOp): op is CompareOp {
  return (COMPARE_OPS as readonly FilterOp[]).includes(op);
}
/** A leaf comparing the field with one value (`eq` … `gte`); every back-end treats them alike. */
export function isCompareLeaf(leaf: FieldLeaf): leaf is CompareLeaf {
  return isCompareOp(leaf.op);
}

export const COUNT_OPS = ['eq', 'gt', 'gte', 'lt', 'lte'] as const;
export const CountThreshold = z
  .object({
    op: z.enum(COUNT_OPS),
    value: z.number().int().min(0).max(1_000_000),
  })
  .strict()
  .meta({ id: 'FilterCountThreshold' });
export type CountThreshold = z.infer<typeof CountThreshold>;

export interface BehaviourLeaf {
  fact: string;
  where?: FilterNode | undefined;
  within_last?: TimeWindow | undefined;
  count?: CountThreshold | undefined;
}
export interface AndGroup {
  and: FilterNode[];
}
export interface OrGroup {
  or: FilterNode[];
}
export interface NotGroup {
  not: FilterNode;
}
export type FilterGroup = AndGroup | OrGroup | NotGroup;
export type FilterNode = FilterGroup | FieldLeaf | BehaviourLeaf;

/** The tree as a recursive schema: the type, and the OpenAPI description of it. */
export const FilterNodeShape: z.ZodType<FilterNode> = z.lazy(() => filterNodeUnion);

const children = z.array(FilterNodeShape).min(1).max(FILTER_LIMITS.maxNodes);

// One instance, so generators meet the same schema again and emit a reference to it.
const filterNodeUnion: z.ZodType<FilterNode> = z
  .union([
    z.object({ and: children }).strict().meta({ description: 'Every child matches' }),
    z.object({ or: children }).strict().meta({ description: 'At least one child matches' }),
    z.object({ not: FilterNodeShape }).strict().meta({ description: 'The child does not match' }),
    FieldLeaf,
    z
      .object({
        fact: z.string().min(1).max(100).describe('A related fact of the catalog, e.g. `bookings`'),
        where: FilterNodeShape.optional().describe('Conditions on the fact’s own fields'),
        within_last: TimeWindow.optional().describe('Only facts whose time falls in this window'),
        count: CountThreshold.optional().describe('How many facts must match; default `gte 1`'),
      })
      .strict()
      .meta({
        id: 'FilterBehaviourLeaf',
        description:
          'How many related facts match: "booked service X at least 2 times in the last 90 days"',
      }),
  ])
  .meta({ id: 'FilterNode' });

export interface FilterIssue {
  /** JSON path from the root of the filter, e.g. `['and', 1, 'op']`. */
  path: (string | number)[];
  code: string;
  message: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const GROUP_KEYS = ['and', 'or', 'not'] as const;

/**
 * Checks the tree's shape node by node, so each problem names its own path, and enforces
 * the depth and size limits before anything recurses into an oversized input.
 */
export function structureIssues(input: unknown): FilterIssue[] {
  const issues: FilterIssue[] = [];
  let nodes = 0;
  const visit = (node: unknown, path: (string | number)[], depth: number): void => {
    if (issues.length >= 20) return;
    nodes += 1;
    if (nodes > FILTER_LIMITS.maxNodes) {
      if (nodes === FILTER_LIMITS.maxNodes + 1) {
        issues.push({
          path,
          code: 'too_many_nodes',
          message: `A filter holds at most ${FILTER_LIMITS.maxNodes} groups and leaves`,
        });
      }
      return;
    }
    if (depth > FILTER_LIMITS.maxDepth) {
      issues.push({
        path,
        code: 'too_deep',
        message: `Groups nest at most ${FILTER_LIMITS.maxDepth} deep`,
      });
      return;
    }
    if (!isObject(node)) {
      issues.push({ path, code: 'invalid_node', message: 'Expected a group or a leaf object' });
      return;
    }
    const group = GROUP_KEYS.filter((k) => k in node);
    if (group.length > 0) {
      const keys = Object.keys(node);
      if (keys.length !== 1 || group.length !== 1) {
        issues.push({
          path,
          code: 'invalid_group',
          message: 'A group has exactly one key: and, or or not',
        });
        return;
      }
      const key = group[0] as (typeof GROUP_KEYS)[number];
      const inner = node[key];
      if (key === 'not') {
        visit(inner, [...path, 'not'], depth + 1);
        return;
      }
      if (!Array.isArray(inner) || inner.length === 0) {
        issues.push({
          path: [...path, key],
          code: 'invalid_group',
          message: `"${key}" takes a non-empty list of nodes`,
        });
        return;
      }
      inner.forEach((child, i) => {
        visit(child, [...path, key, i], depth + 1);
      });
      return;
    }
    if ('fact' in node) {
      const { where, ...rest } = node;
      const shape = z
        .object({
          fact: z.string().min(1).max(100),
          within_last: TimeWindow.optional(),
          count: CountThreshold.optional(),
        })
        .strict()
        .safeParse(rest);
      if (!shape.success) issues.push(...zodIssues(shape.error, path));
      if (where !== undefined) visit(where, [...path, 'where'], depth + 1);
      return;
    }
    const leaf = FieldLeaf.safeParse(node);
    if (!leaf.success) issues.push(...zodIssues(leaf.error, path));
  };
  visit(input, [], 0);
  return issues;
}

function zodIssues(error: z.ZodError, path: (string | number)[]): FilterIssue[] {
  return error.issues.flatMap((issue) => {
    const at = [...path, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...at, key],
        code: 'unrecognized_key',
        message: `Unknown key: ${key}`,
      }));
    }
    if (
      issue.code === 'invalid_union' &&
      'note' in issue &&
      issue.note === 'No matching discriminator'
    ) {
      return [
        {
          path: at[at.length - 1] === 'op' ? at : [...at, 'op'],
          code: 'unknown_op',
          message: `Unknown operator; one of ${FILTER_OPS.join(', ')}`,
        },
      ];
    }
    return [{ path: at, code: issue.code, message: issue.message }];
  });
}

export type ParsedFilter = { ok: true; filter: FilterNode } | { ok: false; issues: FilterIssue[] };

/** Shape and limits only; what the fields mean is `validateFilter`'s job. */
export function parseFilter(input: unknown): ParsedFilter {
  const issues = structureIssues(input);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, filter: input as FilterNode };
}

/**
 * The filter as a request field: each bad node is reported at its own path, then the
 * recursive schema types it (and documents it in OpenAPI).
 */
export const Filter = z
  .preprocess((value, ctx) => {
    for (const issue of structureIssues(value)) {
      ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: value });
    }
    return value;
  }, FilterNodeShape)
  .meta({
    id: 'Filter',
    description:
      'A filter of the one filter language: groups `{and: [...]}`, `{or: [...]}`, `{not: ...}` over leaves `{field, op, value}`; see docs/filter-language.md',
    example: {
      and: [
        { field: 'customer_stage', op: 'in', value: ['lead', 'prospect'] },
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'created_at', op: 'within_last', value: { amount: 90, unit: 'days' } },
      ],
    },
  });
