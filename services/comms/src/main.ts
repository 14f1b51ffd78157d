import { startService } from '@crm/service-kit';
import { commsService } from './service.js';

await startService(commsService, { signals: true });
