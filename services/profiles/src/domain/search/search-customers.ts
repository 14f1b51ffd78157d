import { type SearchCustomersQuery, type SearchPage } from '@crm/contracts';
import { AppError, encodeCursor, type Principal, readCursor, scopeOf } from '@crm/service-kit';
import { z } from 'zod';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { CustomerRecord } from '../customers/customer.js';
import { searchWords } from './fold.js';
import type { SearchDocument, SearchMatch } from './search-index.js';
import type { SearchDeps } from './search-deps.js';

/** Where the next page starts: how many hits came before it. */
const SearchCursor = z.tuple([z.literal('offset'), z.number().int().nonnegative()]);

const PHONE_LIKE = /^\+?[\d\s().\-/]{6,}$/;

/** An email or a phone number is looked up exactly; anything else is words. */
export function classify(q: string, region: string): SearchMatch {
  const text = q.trim();
  if (text.includes('@')) return { kind: 'email', email: text.toLowerCase() };
  if (PHONE_LIKE.test(text)) {
    const phone = parsePhoneNumberFromString(text, region as CountryCode);
    if (phone?.isValid()) return { kind: 'phone', phone: phone.number };
  }
  const words = searchWords(text).slice(0, 10);
  return { kind: 'words', text: words.join(' '), words };
}

export function documentOf(record: CustomerRecord, searchable: Set<string>): SearchDocument {
  const { row } = record;
  const customText: string[] = [];
  for (const [name, value] of Object.entries(record.customFields)) {
    if (!searchable.has(name)) continue;
    if (typeof value === 'string') customText.push(value);
    else if (Array.isArray(value)) customText.push(...value);
  }
  return {
    tenantId: row.tenantId,
    customerId: row.id,
    firstName: row.firstName,
    lastName: row.lastName,
    companyName: row.companyName,
    email: row.email,
    phone: row.phone,
    phones: record.phones.map((p) => p.number),
    tags: [...record.tags].sort(),
    customText,
    customerStatus: row.customerStatus,
    customerStage: row.customerStage,
    vipStatus: row.vipStatus,
    ownerId: row.ownerId,
    teamId: row.teamId,
    collaboratorIds: [...record.collaborators].sort(),
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

export async function searchCustomers(
  deps: SearchDeps,
  principal: Principal,
  query: SearchCustomersQuery,
): Promise<SearchPage> {
  let offset = 0;
  if (query.cursor) {
    [, offset] = readCursor(SearchCursor, query.cursor);
  }
  const match = classify(query.q, deps.phoneRegion);
  if (match.kind === 'words' && match.words.length === 0) {
    throw new AppError('validation_failed', 'Search for at least one letter or digit', [
      { field: 'query.q', code: 'empty_query', message: 'Nothing to search for' },
    ]);
  }
  const hits = await deps.index.search({
    scope: scopeOf(principal),
    match,
    filters: {
      status: query.status,
      stage: query.stage,
      vip: query.vip === undefined ? undefined : query.vip === 'true',
      tags: (query.tags ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    },
    sort: query.sort,
    limit: query.limit + 1,
    offset,
  });
  return {
    data: hits.slice(0, query.limit),
    next_cursor: hits.length > query.limit ? encodeCursor(['offset', offset + query.limit]) : null,
    engine: deps.index.engine,
  };
}
