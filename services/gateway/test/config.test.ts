import { ConfigError, loadConfig } from '@crm/service-kit';
import { describe, expect, it } from 'vitest';
import { upstreamUrls } from '../src/clients/upstreams.js';
import { GatewayConfig } from '../src/config.js';
import { SECRET } from './support.js';

describe('GatewayConfig', () => {
  it('has defaults that run the whole cluster on one machine', () => {
    const config = loadConfig(GatewayConfig, { JWT_SECRET: SECRET });
    expect(config).toMatchObject({
      PORT: 8080,
      UPSTREAM_TIMEOUT_MS: 5000,
      BREAKER_RESET_MS: 5000,
      RATE_LIMIT_PER_MINUTE: 600,
      CORS_ORIGINS: [],
      BODY_LIMIT: 1_048_576,
    });
    expect(upstreamUrls(config)).toEqual({
      profiles: 'http://127.0.0.1:8081',
      interactions: 'http://127.0.0.1:8082',
      'notes-tasks': 'http://127.0.0.1:8083',
      comms: 'http://127.0.0.1:8084',
      segments: 'http://127.0.0.1:8085',
      automation: 'http://127.0.0.1:8086',
      analytics: 'http://127.0.0.1:8087',
    });
  });

  it('reads a comma list of exact origins and a body limit', () => {
    const config = loadConfig(GatewayConfig, {
      JWT_SECRET: SECRET,
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      BODY_LIMIT: '256kb',
    });
    expect(config.CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.BODY_LIMIT).toBe(262_144);
  });

  it('refuses what it cannot use, naming each key', () => {
    const load = () =>
      loadConfig(GatewayConfig, {
        JWT_SECRET: SECRET,
        CORS_ORIGINS: 'https://app.example.com/path',
        BODY_LIMIT: 'big',
        PROFILES_URL: 'not a url',
        UPSTREAM_TIMEOUT_MS: '0',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CORS_ORIGINS[\s\S]*BODY_LIMIT|BODY_LIMIT[\s\S]*CORS_ORIGINS/);
    expect(load).toThrow(/PROFILES_URL/);
    expect(load).toThrow(/UPSTREAM_TIMEOUT_MS/);
  });

  it('serves development tokens only outside production, for a named tenant', () => {
    const dev = { JWT_SECRET: SECRET, DEV_TOKENS: 'true' };
    expect(() => loadConfig(GatewayConfig, dev)).toThrow(/DEV_TENANT_ID/);
    const tenant = '0193d000-0000-7000-8000-0000000000d1';
    expect(loadConfig(GatewayConfig, { ...dev, DEV_TENANT_ID: tenant })).toMatchObject({
      DEV_TOKENS: true,
      DEV_TENANT_ID: tenant,
    });
    expect(() =>
      loadConfig(GatewayConfig, {
        ...dev,
        DEV_TENANT_ID: tenant,
        NODE_ENV: 'production',
        JWT_JWKS_URL: 'https://idp.example.com/jwks.json',
      }),
    ).toThrow(/DEV_TOKENS/);
    expect(loadConfig(GatewayConfig, { JWT_SECRET: SECRET }).DEV_TOKENS).toBe(false);
  });

  it('takes the tenant defaults as a locale, an IANA zone and a currency, refusing others', () => {
    expect(loadConfig(GatewayConfig, { JWT_SECRET: SECRET })).toMatchObject({
      TENANT_LOCALE: 'en-US',
      TENANT_TIMEZONE: 'UTC',
      TENANT_CURRENCY: 'USD',
    });
    const load = () =>
      loadConfig(GatewayConfig, {
        JWT_SECRET: SECRET,
        TENANT_LOCALE: 'en_GB',
        TENANT_TIMEZONE: '+02:00',
        TENANT_CURRENCY: 'EURO',
      });
    expect(load).toThrow(/TENANT_LOCALE/);
    expect(load).toThrow(/TENANT_TIMEZONE/);
    expect(load).toThrow(/TENANT_CURRENCY/);
  });

  it('needs a way to verify tokens', () => {
    expect(() => loadConfig(GatewayConfig, {})).toThrow(/JWT_SECRET/);
    expect(() => loadConfig(GatewayConfig, { NODE_ENV: 'production', JWT_SECRET: SECRET })).toThrow(
      /JWT_JWKS_URL/,
    );
  });
});
