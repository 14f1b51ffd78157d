import { startService } from '@crm/service-kit';
import { interactionsService } from './service.js';

await startService(interactionsService, { signals: true });
