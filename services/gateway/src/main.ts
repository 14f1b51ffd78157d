import { startService } from '@crm/service-kit';
import { gatewayService } from './service.js';

await startService(gatewayService, { signals: true });
