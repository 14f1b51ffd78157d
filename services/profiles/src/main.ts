import { startService } from '@crm/service-kit';
import { profilesService } from './service.js';

await startService(profilesService, { signals: true });
