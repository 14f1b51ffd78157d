import type { DuplicateSuggestion } from '@crm/contracts';
import { notFound, scopeOf, type Principal } from '@crm/service-kit';
import type { MergeDeps } from './merge-deps.js';
import { searchNamesOf } from '../search/fold.js';

/** The customers the caller sees that look like this one, most alike first, at most 20. */
export async function listCustomerDuplicates(
  deps: MergeDeps,
  principal: Principal,
  id: string,
): Promise<DuplicateSuggestion[]> {
  const scope = scopeOf(principal);
  const found = await deps.customers.find(deps.db, scope, id);
  if (!found) throw notFound('Customer');
  const { row } = found;
  const rows = await deps.repo.duplicates(deps.db, scope, {
    id,
    email: row.email,
    phones: found.phones.map((p) => p.number),
    names: searchNamesOf(row),
  });
  return rows
    .map((r) => {
      const reasons: DuplicateSuggestion['reasons'] = [];
      if (r.sameEmail) reasons.push('email');
      if (r.samePhone) reasons.push('phone');
      if (r.nameSimilarity >= 0.3) reasons.push('name');
      const score = Math.max(
        r.sameEmail ? 1 : 0,
        r.samePhone ? 0.9 : 0,
        Math.min(0.6, r.nameSimilarity * 0.6 + (r.nameSimilarity >= 0.99 ? 0.1 : 0)),
      );
      return { customer: r.hit, score: Math.round(score * 100) / 100, reasons };
    })
    .filter((s) => s.reasons.length > 0)
    .sort((a, b) => b.score - a.score || a.customer.id.localeCompare(b.customer.id))
    .slice(0, 20);
}
