import { z } from 'zod';

/** What a service that checks assignments reads: where the gateway's staff directory answers. */
export const MemberDirectoryConfig = z.object({
  GATEWAY_URL: z
    .url()
    .optional()
    .describe(
      'Base URL of the gateway, asked about staff members the local directory replica has not heard of; required in production, and without it assignments are not checked against the directory',
    ),
  GATEWAY_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(2_000)
    .describe('Longest wait for the gateway before the breaker counts a failure'),
});
export type MemberDirectoryConfig = z.infer<typeof MemberDirectoryConfig>;
