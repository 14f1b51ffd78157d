import { startService } from '@crm/service-kit';
import { notesTasksService } from './service.js';

await startService(notesTasksService, { signals: true });
