export { TEST_JWT_SECRET, testAmqpUrl, testDatabaseUrl, testEnv } from './env.js';
export { api, type ApiClient, type ApiResponse, type RequestOptions } from './http.js';
export { newTenant, tokenFor } from './tokens.js';
export { sleep, waitFor, type WaitOptions } from './wait.js';
export { TestBus } from './bus.js';
export { startTestService, useBus, useService, type UseServiceOptions } from './service.js';
export { buildEvent, nextBxId, type DeepPartial, type EventOverrides } from './events.js';
export { buildCustomer, buildCustomerRecord, createCustomer } from './customers.js';
