import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/problem';
import { App } from './App';
import { SessionProvider } from './auth/session';
import { TenantFormatProvider } from './features/settings/tenant-settings';
import { applyStoredTheme } from './ui/theme';
import './styles.css';

applyStoredTheme();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal will not change on retry; a dropped connection might.
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <TenantFormatProvider>
          <BrowserRouter basename="/crm/app">
            <App />
          </BrowserRouter>
        </TenantFormatProvider>
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
