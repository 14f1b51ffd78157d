import { AnalyticsConfig } from '../../services/analytics/src/config.js';
import { AutomationConfig } from '../../services/automation/src/config.js';
import { CommsConfig } from '../../services/comms/src/config.js';
import { GatewayConfig } from '../../services/gateway/src/config.js';
import { InteractionsConfig } from '../../services/interactions/src/config.js';
import { NotesTasksConfig } from '../../services/notes-tasks/src/config.js';
import { ProfilesConfig } from '../../services/profiles/src/config.js';
import { SegmentsConfig } from '../../services/segments/src/config.js';

/** Every environment key each service reads: its config schema plus PORT (read by the kit). */
export const CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = {
  gateway: Object.keys(GatewayConfig.shape),
  profiles: [...Object.keys(ProfilesConfig.shape), 'PORT'],
  interactions: [...Object.keys(InteractionsConfig.shape), 'PORT'],
  'notes-tasks': [...Object.keys(NotesTasksConfig.shape), 'PORT'],
  comms: [...Object.keys(CommsConfig.shape), 'PORT'],
  segments: [...Object.keys(SegmentsConfig.shape), 'PORT'],
  automation: [...Object.keys(AutomationConfig.shape), 'PORT'],
  analytics: [...Object.keys(AnalyticsConfig.shape), 'PORT'],
};

/** Set by the deployments ahead of the code that reads them (e-mail; search until it lands). */
export const RESERVED_KEYS: Readonly<Record<string, readonly string[]>> = {
  profiles: ['MEILI_URL', 'MEILI_API_KEY'],
  comms: ['SMTP_URL'],
};

export const ALL_KEYS = new Set([
  ...Object.values(CONFIG_KEYS).flat(),
  ...Object.values(RESERVED_KEYS).flat(),
]);
