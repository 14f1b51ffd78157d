import { api } from '../../api/client';
import { toApiError } from '../../api/problem';
import type { TimelineKind } from '../../api/types';
import { fileNameFrom, saveBlob } from '../../ui/download';

export async function exportTimeline(
  customerId: string,
  format: 'csv' | 'json',
  kinds: TimelineKind[],
): Promise<void> {
  const query: { format: 'csv' | 'json'; kind?: string } = { format };
  if (kinds.length > 0) query.kind = kinds.join(',');
  const { data, error, response } = await api.GET('/crm/customers/{id}/timeline/export', {
    params: { path: { id: customerId }, query },
    parseAs: 'blob',
  });
  if (!response.ok || data === undefined) {
    throw toApiError(response.status, error, response.statusText);
  }
  saveBlob(data, fileNameFrom(response.headers.get('Content-Disposition'), `timeline.${format}`));
}
