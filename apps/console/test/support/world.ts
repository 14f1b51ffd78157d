import { api, type ApiClient } from '@crm/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startCluster } from '../../../../test/cluster.js';
import { launchChromium } from './browser.js';
import { CONSOLE_DIST, ensureConsoleBuilt } from './build.js';

export interface ConsoleWorld {
  readonly gatewayUrl: string;
  readonly appUrl: string;
  /** A fresh browser context (its own sessionStorage) at phone or desktop width. */
  context: (options?: {
    width?: number;
    height?: number;
    dark?: boolean;
  }) => Promise<BrowserContext>;
  /** A page signed in through the sign-in form with this token, on the customer list. */
  signedIn: (
    token: string,
    options?: { width?: number; height?: number; dark?: boolean },
  ) => Promise<Page>;
  client: (token: string) => ApiClient;
  /** Messages the browser logged as errors (a CSP refusal shows up here). */
  readonly consoleErrors: string[];
}

/**
 * At the top of a browser test file: builds the console if it is stale, starts profiles,
 * interactions and a gateway serving the build on free ports, and launches Chromium.
 */
export function useConsole(): ConsoleWorld {
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    cluster = await startCluster({ CONSOLE_DIR: CONSOLE_DIST });
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await cluster?.stop();
  });

  const world: ConsoleWorld = {
    get gatewayUrl() {
      if (!cluster) throw new Error('the cluster starts in beforeAll');
      return cluster.gatewayUrl;
    },
    get appUrl() {
      return `${world.gatewayUrl}/crm/app/`;
    },
    consoleErrors,
    context: async ({ width = 1280, height = 900, dark = false } = {}) => {
      if (!browser) throw new Error('the browser starts in beforeAll');
      const context = await browser.newContext({
        viewport: { width, height },
        colorScheme: dark ? 'dark' : 'light',
        locale: 'en-GB',
        timezoneId: 'Europe/Berlin',
        acceptDownloads: true,
      });
      context.on('page', (page) => {
        page.on('console', (message) => {
          if (message.type() === 'error') consoleErrors.push(message.text());
        });
        page.on('pageerror', (error) => {
          consoleErrors.push(error.message);
        });
      });
      contexts.push(context);
      return context;
    },
    signedIn: async (token, options = {}) => {
      const context = await world.context(options);
      const page = await context.newPage();
      await page.goto(world.appUrl);
      await page.getByLabel('Access token').fill(token);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
      return page;
    },
    client: (token) => api(world.gatewayUrl, token),
  };
  return world;
}
