import type { SearchHit } from '@crm/contracts';
import { transaction } from '@crm/service-kit';
import type { Db, Executor, CustomerScope } from '@crm/service-kit';
import { and, asc, desc, eq, inArray, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { foldForSearch, searchNamesOf } from '../domain/search/fold.js';
import {
  hitOf,
  type SearchDocument,
  type SearchIndex,
  type SearchMatch,
  type SearchRequest,
} from '../domain/search/search-index.js';
import { searchDocuments as d } from './schema.js';

/** Every column but the key, taken from the proposed row when a document is replaced. */
const UPDATED_COLUMNS = [
  'names',
  'doc',
  'email',
  'phone',
  'phones',
  'firstName',
  'lastName',
  'companyName',
  'customerStatus',
  'customerStage',
  'vipStatus',
  'tags',
  'ownerId',
  'teamId',
  'collaboratorIds',
  'version',
  'updatedAt',
] as const;

/** Customers one email or phone number can find: a fence for the planner, never reached in practice. */
const EXACT_MATCHES_MAX = 1_000;

/**
 * Prefix matches a relevance-sorted name query ranks at most (the first the GIN index
 * returns): ranking is per candidate, so this keeps a query's cost from growing with the
 * tenant. A prefix shared by more customers than this is too broad to rank anyway.
 */
const PREFIX_CANDIDATES_MAX = 1_000;

/**
 * Typo matches a name query sorts by distance at most (the first the trigram GIN index
 * returns), for the same reason: one common word with a typo ("smitx") is like thousands of
 * names in a large tenant, each needing its row read to be ranked.
 */
const TYPO_CANDIDATES_MAX = 1_000;

/** Typo matches, nearest first, that a name query sorted by name or change time takes. */
const TYPO_IDS_MAX = 100;

/**
 * Below this word similarity a word of the name is not a typo of a word of the query any
 * more. Each word is held to it on its own, so it is lower than the whole query's: one letter
 * changed inside a five-letter word ("clcrk" for "clark") leaves 0.33, and 17 % of the
 * benchmark's one-typo queries found nothing with every word held to 0.4.
 */
const TYPO_WORD_THRESHOLD = 0.3;

/**
 * The whole query must still be this like the name: a word alone at 0.3 lets through names
 * sharing only an ending ("oldname" is 0.375 like "newname").
 */
const TYPO_QUERY_THRESHOLD = 0.4;

function scopeOn(scope: CustomerScope): SQL {
  const tenant = eq(d.tenantId, scope.tenantId);
  const collaborates = (id: string) => sql`${id} = ANY(${d.collaboratorIds})`;
  switch (scope.kind) {
    case 'tenant':
      return tenant;
    case 'owner':
      return and(tenant, or(eq(d.ownerId, scope.ownerId), collaborates(scope.ownerId))) as SQL;
    case 'team':
      return and(
        tenant,
        or(
          eq(d.ownerId, scope.ownerId),
          collaborates(scope.ownerId),
          ...(scope.teams.length > 0 ? [inArray(d.teamId, scope.teams)] : []),
        ),
      ) as SQL;
    case 'self':
      return and(tenant, eq(d.customerId, scope.customerId)) as SQL;
  }
}

/**
 * Everything a prefix can match, folded like the queries are. An email counts by its words
 * and a phone number by its digits: query words hold neither `@` nor `+`, so the whole
 * address and the `+` form (each a word of its own to the parser, one per customer) could
 * never match and only lengthened the index's prefix ranges (four in five of the words
 * starting "aar" or "mor" were whole addresses).
 */
function searchText(doc: SearchDocument): string {
  const emailWords = doc.email ? doc.email.split(/[@._+-]+/) : [];
  const text = [
    doc.firstName,
    doc.lastName,
    doc.companyName ?? '',
    ...emailWords,
    ...doc.phones.map((p) => p.replace(/^\+/, '')),
    ...doc.tags,
    ...doc.customText,
  ]
    .filter(Boolean)
    .join(' ');
  return foldForSearch(text);
}

/** `ada lov` → `'ada':* & 'lov':*`; words hold letters and digits only. */
function prefixQuery(words: string[]): string {
  return words.map((w) => `'${w}':*`).join(' & ');
}

type Sortable = Record<'lastName' | 'updatedAt' | 'customerId', AnyColumn>;

function orderOn(sort: SearchRequest['sort'], c: Sortable, rank: SQL | null): SQL[] {
  switch (sort) {
    case 'last_name':
      return [asc(c.lastName), asc(c.customerId)];
    case '-last_name':
      return [desc(c.lastName), desc(c.customerId)];
    case 'updated_at':
      return [asc(c.updatedAt), asc(c.customerId)];
    case '-updated_at':
      return [desc(c.updatedAt), desc(c.customerId)];
    case 'relevance':
      return rank ? [desc(rank), asc(c.customerId)] : [asc(c.lastName), asc(c.customerId)];
  }
}

function hitOfRow(row: Omit<SearchDocument, 'customText'>): SearchHit {
  return hitOf({ ...row, customText: [] });
}

/** The embedded search: tsvector prefixes and pg_trgm word similarity, in this service's schema. */
export class PostgresSearchIndex implements SearchIndex {
  readonly engine = 'postgres' as const;

  constructor(private readonly db: Db) {}

  async start(): Promise<void> {
    // Nothing to set up: the migrations created the table and its indexes.
  }

  async upsert(tx: Executor, doc: SearchDocument): Promise<void> {
    await this.upsertMany(tx, [doc]);
  }

  async upsertMany(tx: Executor, docs: SearchDocument[]): Promise<void> {
    // About 18 parameters a row; Postgres takes at most 65,535 in one statement.
    for (let i = 0; i < docs.length; i += 2_000) {
      await this.insertChunk(tx, docs.slice(i, i + 2_000));
    }
  }

  private async insertChunk(tx: Executor, docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    await tx
      .insert(d)
      .values(
        docs.map((doc) => ({
          tenantId: doc.tenantId,
          customerId: doc.customerId,
          names: searchNamesOf(doc),
          doc: sql`to_tsvector('simple', ${searchText(doc)})`,
          email: doc.email?.toLowerCase() ?? null,
          phone: doc.phone,
          phones: doc.phones,
          firstName: doc.firstName,
          lastName: doc.lastName,
          companyName: doc.companyName,
          customerStatus: doc.customerStatus,
          customerStage: doc.customerStage,
          vipStatus: doc.vipStatus,
          tags: doc.tags,
          ownerId: doc.ownerId,
          teamId: doc.teamId,
          collaboratorIds: doc.collaboratorIds,
          version: doc.version,
          updatedAt: doc.updatedAt,
        })),
      )
      .onConflictDoUpdate({
        target: [d.tenantId, d.customerId],
        set: Object.fromEntries(UPDATED_COLUMNS.map((c) => [c, sql.raw(`excluded.${d[c].name}`)])),
        // An older state read by a slower handler (or a reindex) never overwrites a newer one.
        setWhere: sql`${d.version} <= excluded.version`,
      });
  }

  async remove(tx: Executor, tenantId: string, customerIds: string[]): Promise<void> {
    if (customerIds.length === 0) return;
    await tx.delete(d).where(and(eq(d.tenantId, tenantId), inArray(d.customerId, customerIds)));
  }

  async search(req: SearchRequest): Promise<SearchHit[]> {
    const conditions: SQL[] = [scopeOn(req.scope)];
    const { status, stage, vip, tags } = req.filters;
    if (status) conditions.push(eq(d.customerStatus, status));
    if (stage) conditions.push(eq(d.customerStage, stage));
    if (vip !== undefined) conditions.push(eq(d.vipStatus, vip));
    if (tags.length > 0) {
      conditions.push(
        sql`${d.tags} @> ARRAY[${sql.join(
          tags.map((t) => sql`${t}`),
          sql`, `,
        )}]::text[]`,
      );
    }
    const match = req.match;
    if (match.kind === 'words') return this.searchWords(req, conditions, match);
    // Documents hold emails in lower case (see insertChunk), so the (tenant, email) index serves this.
    if (match.kind === 'email') conditions.push(eq(d.email, match.email));
    else conditions.push(sql`${d.phones} @> ARRAY[${match.phone}]::text[]`);
    // An email or a phone matches a handful of documents: find them by their index first.
    // The inner LIMIT keeps the planner from walking the whole tenant in sort order
    // instead, which it prefers for a LIMIT when it cannot estimate the match (1.1 s at
    // 100,000 customers); drizzle drops an OFFSET 0, the usual fence.
    const exact = this.db
      .select()
      .from(d)
      .where(and(...conditions))
      .limit(EXACT_MATCHES_MAX)
      .as('exact');
    const rows = await this.db
      .select()
      .from(exact)
      .orderBy(...orderOn(req.sort, exact, null))
      .limit(req.limit)
      .offset(req.offset);
    return rows.map(hitOfRow);
  }

  /**
   * Words: prefix matches first (every word a prefix of a word of the document, through the
   * tsvector's GIN index), then typo matches (every word similar to a word of the names,
   * through the trigram GIN index, nearest first) only where the prefix matches do not fill
   * the page. Each step ranks at most 1,000 candidates of the tenant, so a query costs about
   * the same in a tenant of 10,000 or 1,000,000.
   */
  private async searchWords(
    req: SearchRequest,
    conditions: SQL[],
    match: Extract<SearchMatch, { kind: 'words' }>,
  ): Promise<SearchHit[]> {
    const tsq = sql`to_tsquery('simple', ${prefixQuery(match.words)})`;
    const prefix = sql`${d.doc} @@ ${tsq}`;
    // Every word must be like some word of the name (a prefix passes too), and the whole
    // query like the name; its distance orders them. The whole query alone let a long word
    // carry a missing one ("zoe xyzzy" found every Zoe) and a short query miss a hyphenated
    // name.
    const typo = and(
      ...match.words.map((w) => sql`${w} OPERATOR(profiles.<%) ${d.names}`),
      sql`profiles.word_similarity(${match.text}, ${d.names}) >= ${TYPO_QUERY_THRESHOLD}`,
    ) as SQL;
    const distance = (names: AnyColumn) => sql`${match.text} OPERATOR(profiles.<<->) ${names}`;
    return transaction(this.db, async ({ db: tx }) => {
      await tx.execute(
        sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_WORD_THRESHOLD)}, true)`,
      );
      // Typo matches, as many as are ranked: the inner LIMIT
      // bounds the rows read and sorted by distance.
      const typoCandidates = (extra: SQL[]) =>
        tx
          .select()
          .from(d)
          .where(and(...conditions, typo, ...extra))
          .limit(TYPO_CANDIDATES_MAX)
          .as('typos');
      if (req.sort !== 'relevance') {
        // A sort by name or change time orders every prefix match and the nearest typo
        // matches together. The typo matches go in as ids, so the planner can walk the sort
        // order's index for a common prefix and stop at the page (a join with them read the
        // whole tenant: 1.7 s for "jac" at 1,000,000 documents, 3 ms this way).
        const typos = typoCandidates([]);
        const typoIds = await tx
          .select({ id: typos.customerId })
          .from(typos)
          .orderBy(distance(typos.names), asc(typos.customerId))
          .limit(TYPO_IDS_MAX);
        const matching =
          typoIds.length > 0
            ? (or(
                prefix,
                inArray(
                  d.customerId,
                  typoIds.map((r) => r.id),
                ),
              ) as SQL)
            : prefix;
        const rows = await tx
          .select()
          .from(d)
          .where(and(...conditions, matching))
          .orderBy(...orderOn(req.sort, d, null))
          .limit(req.limit)
          .offset(req.offset);
        return rows.map(hitOfRow);
      }
      // The inner LIMIT bounds what is ranked: ts_rank and word_similarity per candidate are
      // what made a name query grow with the tenant.
      const candidates = tx
        .select()
        .from(d)
        .where(and(...conditions, prefix))
        .limit(PREFIX_CANDIDATES_MAX)
        .as('candidates');
      const rank = sql`ts_rank(${candidates.doc}, ${tsq}) + profiles.word_similarity(${match.text}, ${candidates.names})`;
      const ranked = await tx
        .select()
        .from(candidates)
        .orderBy(...orderOn('relevance', candidates, rank))
        .limit(req.limit)
        .offset(req.offset);
      if (ranked.length >= req.limit) return ranked.map(hitOfRow);
      // The page is not full: the prefix matches end on it (or before it), typos follow.
      let prefixMatches = req.offset + ranked.length;
      if (ranked.length === 0 && req.offset > 0) {
        const [counted] = await tx.select({ n: sql<number>`count(*)::int` }).from(candidates);
        prefixMatches = counted?.n ?? 0;
      }
      const typoMatches = typoCandidates([sql`NOT (${prefix})`]);
      const typos = await tx
        .select()
        .from(typoMatches)
        .orderBy(distance(typoMatches.names), asc(typoMatches.customerId))
        .limit(req.limit - ranked.length)
        .offset(Math.max(0, req.offset - prefixMatches));
      return [...ranked, ...typos].map(hitOfRow);
    });
  }
}
