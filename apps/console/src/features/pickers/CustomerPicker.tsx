import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../api/client';
import { describeError } from '../../api/problem';
import type { SearchHit } from '../../api/types';
import { Combobox } from '../../ui/Combobox';
import { useDebounced } from '../../ui/debounce';

/** Fewer letters than this match too many customers to be worth a search. */
const MIN_LETTERS = 2;

export type PickedCustomer = Pick<SearchHit, 'id' | 'first_name' | 'last_name' | 'email'>;

/** Suggests customers as one types, through search (`GET /crm/search`: typos and prefixes match). */
export function CustomerPicker({
  id,
  label,
  onPick,
  excludeIds = [],
  error,
}: {
  id: string;
  label: string;
  onPick: (customer: PickedCustomer) => void;
  excludeIds?: readonly string[];
  error?: string | undefined;
}) {
  const [text, setText] = useState('');
  const words = useDebounced(text.trim());
  const enabled = words.length >= MIN_LETTERS;
  const search = useQuery({
    queryKey: ['customer-picker', words],
    enabled,
    placeholderData: keepPreviousData,
    queryFn: async ({ signal }) =>
      (await unwrap(api.GET('/crm/search', { params: { query: { q: words, limit: 8 } }, signal })))
        .data,
  });
  const hits = enabled ? (search.data ?? []).filter((h) => !excludeIds.includes(h.id)) : [];
  const statusText =
    text.trim().length < MIN_LETTERS
      ? 'Type at least two letters of a name, an email or a phone number'
      : search.isError
        ? `The search failed: ${describeError(search.error)}`
        : search.isPending || words !== text.trim()
          ? 'Searching…'
          : hits.length === 0
            ? 'No customer matches'
            : `${String(hits.length)} ${hits.length === 1 ? 'customer' : 'customers'} found`;
  return (
    <Combobox
      id={id}
      label={label}
      text={text}
      onTextChange={setText}
      options={hits.map((h) => ({
        id: h.id,
        label: `${h.first_name} ${h.last_name}`.trim(),
        detail: h.email ?? h.phone ?? h.company_name,
      }))}
      statusText={statusText}
      onPick={(option) => {
        const hit = hits.find((h) => h.id === option.id);
        if (hit) onPick(hit);
        setText('');
      }}
      placeholder="Name, email or phone"
      error={error}
    />
  );
}
