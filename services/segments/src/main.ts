import { startService } from '@crm/service-kit';
import { segmentsService } from './service.js';

await startService(segmentsService, { signals: true });
