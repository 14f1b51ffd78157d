import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `pnpm --filter @crm/console dev` proxies /crm (the API) to a running gateway.
const gateway = process.env.CRM_GATEWAY_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/crm/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets' },
  server: {
    port: 5173,
    proxy: {
      '^/crm/(?!app/)': { target: gateway, changeOrigin: false },
    },
  },
});
