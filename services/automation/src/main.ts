import { startService } from '@crm/service-kit';
import { automationService } from './service.js';

await startService(automationService, { signals: true });
