export {
  DEMO_TENANT_ID,
  DEFAULT_CUSTOMERS,
  DEFAULT_MONTHS,
  DEFAULT_SEED,
  countByType,
  deriveTenantIds,
  estimateEvents,
  generate,
  openWorld,
  simulate,
  splitCustomers,
  stream,
  type SimulatedCustomer,
  type SimulatedService,
  type SimulatedStaff,
  type SimulatedTenant,
  type Simulation,
  type SimulationOptions,
  type StreamOptions,
  type TenantSummary,
  type World,
} from './simulate.js';
export { SIMULATOR_NAMESPACE, tenantSource, type SimulatedEvent } from './events.js';
export { BUSINESS_KINDS, type BusinessKind } from './catalogue.js';
export { LOCALES, type Locale, type LocaleCode } from './catalogue.js';
export { Directory, type Person } from './people.js';
export { Rng } from './prng.js';
export { MODEL, type CustomerBehaviour, type Segment, type Spend } from './model.js';
export type { CustomerTruth } from './truth.js';
export {
  DEFAULT_CONFIRM_WINDOW,
  PublishError,
  publishEvents,
  redactUrl,
  type PublishOptions,
  type PublishResult,
} from './publish.js';
