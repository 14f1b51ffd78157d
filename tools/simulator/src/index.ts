export {
  DEMO_TENANT_ID,
  DEFAULT_CUSTOMERS,
  DEFAULT_MONTHS,
  DEFAULT_SEED,
  countByType,
  deriveTenantIds,
  generate,
  simulate,
  type SimulatedCustomer,
  type SimulatedTenant,
  type Simulation,
  type SimulationOptions,
} from './simulate.js';
export { SIMULATOR_NAMESPACE, tenantSource, type SimulatedEvent } from './events.js';
export { MODEL, type CustomerBehaviour, type Segment, type Spend } from './model.js';
export {
  DEFAULT_CONFIRM_WINDOW,
  PublishError,
  publishEvents,
  redactUrl,
  type PublishOptions,
  type PublishResult,
} from './publish.js';
