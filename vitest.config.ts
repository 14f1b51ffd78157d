import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    environment: 'node',
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: [
            'libs/*/test/**/*.test.ts',
            'services/*/test/**/*.test.ts',
            'tools/*/test/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/*.fault.test.ts', '**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['**/*.fault.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
