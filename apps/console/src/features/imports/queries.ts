import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { toApiError } from '../../api/problem';
import type { components } from '../../api/generated/schema';
import { fileNameFrom, saveBlob } from '../../ui/download';
import type { CustomTarget } from './import-fields';

export type CustomerImport = components['schemas']['CustomerImport'];
export type ImportRowError = components['schemas']['ImportRowError'];
export type ImportStatus = CustomerImport['status'];
export type OnDuplicate = CustomerImport['on_duplicate'];

export const IMPORTS_PAGE_SIZE = 20;
export const ERRORS_PAGE_SIZE = 50;
/** How often a running import is asked for its progress. */
export const POLL_MS = 1000;

export function isRunning(status: ImportStatus): boolean {
  return status === 'queued' || status === 'running';
}

export const importKey = (id: string) => ['customer-import', id] as const;

/** One import, asked again every second while it is queued or running. */
export function useImport(id: string) {
  return useQuery({
    queryKey: importKey(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/crm/customers/imports/{id}', { params: { path: { id } }, signal })),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status !== undefined && isRunning(status) ? POLL_MS : false;
    },
  });
}

/** A page of past imports, newest first; refreshed while one of them still runs. */
export function useImportPage(cursor: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['customer-imports', cursor],
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => {
      const query: { limit: number; cursor?: string } = { limit: IMPORTS_PAGE_SIZE };
      if (cursor !== undefined) query.cursor = cursor;
      return unwrap(api.GET('/crm/customers/imports', { params: { query }, signal }));
    },
    refetchInterval: (query) =>
      query.state.data?.data.some((i) => isRunning(i.status)) ? POLL_MS * 2 : false,
  });
}

/** A page of an import's per-row errors, read once it has finished. */
export function useImportErrors(id: string, cursor: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: [...importKey(id), 'errors', cursor],
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => {
      const query: { limit: number; cursor?: string } = { limit: ERRORS_PAGE_SIZE };
      if (cursor !== undefined) query.cursor = cursor;
      return unwrap(
        api.GET('/crm/customers/imports/{id}/errors', {
          params: { path: { id }, query },
          signal,
        }),
      );
    },
  });
}

/** Active custom fields, the targets a column can fill besides the core fields. */
export function useCustomTargets(enabled: boolean) {
  return useQuery({
    queryKey: ['custom-fields'],
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }) => (await unwrap(api.GET('/crm/custom-fields', { signal }))).data,
    select: (definitions): CustomTarget[] =>
      definitions
        .filter((d) => d.is_active)
        .map((d) => ({ name: d.field_name, label: d.field_label, required: d.is_required })),
  });
}

export interface StartImport {
  csv: string;
  mapping: Record<string, string>;
  onDuplicate: OnDuplicate;
  dryRun: boolean;
  phoneRegion: string;
  idempotencyKey: string;
}

/** Sends the CSV as the API takes it: the file itself as `text/csv`, the options in the query. */
export function startImport(input: StartImport): Promise<CustomerImport> {
  const query: {
    mapping: string;
    on_duplicate: OnDuplicate;
    dry_run: 'true' | 'false';
    phone_region?: string;
  } = {
    mapping: JSON.stringify(input.mapping),
    on_duplicate: input.onDuplicate,
    dry_run: input.dryRun ? 'true' : 'false',
  };
  if (input.phoneRegion !== '') query.phone_region = input.phoneRegion;
  return unwrap(
    api.POST('/crm/customers/imports', {
      params: { query, header: { 'Idempotency-Key': input.idempotencyKey } },
      body: input.csv,
      headers: { 'Content-Type': 'text/csv' },
      bodySerializer: (csv) => csv,
    }),
  );
}

/** Fetches the error report as CSV with the session's token and saves it. */
export async function exportImportErrors(id: string): Promise<void> {
  const { data, error, response } = await api.GET('/crm/customers/imports/{id}/errors/export', {
    params: { path: { id } },
    parseAs: 'blob',
  });
  if (!response.ok || data === undefined) {
    throw toApiError(response.status, error, response.statusText);
  }
  saveBlob(data, fileNameFrom(response.headers.get('Content-Disposition'), `import-errors.csv`));
}
