import { api } from '../../api/client';
import { toApiError } from '../../api/problem';
import { fileNameFrom, saveBlob } from '../../ui/download';
import { exportQuery, type ListFilters } from './list-query';

/** Fetches the CSV with the session's token and saves it; the token never enters a link. */
export async function exportCustomersCsv(filters: ListFilters): Promise<void> {
  const { data, error, response } = await api.GET('/crm/customers/export', {
    params: { query: exportQuery(filters).query },
    parseAs: 'blob',
  });
  if (!response.ok || data === undefined) {
    throw toApiError(response.status, error, response.statusText);
  }
  saveBlob(data, fileNameFrom(response.headers.get('Content-Disposition'), 'customers.csv'));
}
