import { startService } from '@crm/service-kit';
import { analyticsService } from './service.js';

await startService(analyticsService, { signals: true });
