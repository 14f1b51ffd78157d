import { z } from 'zod';

/** What a service with a customer replica reads: where profiles answers about new customers. */
export const CustomerReplicaConfig = z.object({
  PROFILES_URL: z
    .url()
    .default('http://127.0.0.1:8081')
    .describe('Base URL of profiles, asked about customers the local replica has not heard of'),
  PROFILES_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(2_000)
    .describe('Longest wait for profiles before the breaker counts a failure'),
});
export type CustomerReplicaConfig = z.infer<typeof CustomerReplicaConfig>;
