import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';

// Component tests: pieces of the console with logic, rendered in jsdom.
export default defineProject({
  plugins: [react()],
  test: {
    name: 'console',
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
