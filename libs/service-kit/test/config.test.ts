import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { BaseConfig, ConfigError, loadConfig } from '../src/config.js';
import { MemberDirectoryConfig } from '../src/members/config.js';

const SECRET = 'a-development-secret-of-more-than-32-chars';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and coerces numbers and flags', () => {
    const config = loadConfig(BaseConfig, {
      JWT_SECRET: SECRET,
      AMQP_PREFETCH: '25',
      OTEL_ENABLED: '1',
      DATABASE_URL: 'postgres://crm@db.internal:5432/crm',
    });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      AMQP_PREFETCH: 25,
      AMQP_DELIVERY_LIMIT: 8,
      OTEL_ENABLED: true,
      DATABASE_URL: 'postgres://crm@db.internal:5432/crm',
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    });
  });

  it('names every bad key in one readable message, without echoing the values', () => {
    const err = configError(() =>
      loadConfig(BaseConfig, {
        DATABASE_URL: 'not a url',
        AMQP_PREFETCH: 'many',
        AMQP_DELIVERY_LIMIT: '0',
        LOG_LEVEL: 'loud',
        DATABASE_ROLE: 'Bad-Role',
        JWT_SECRET: 'too-short-secret-value',
      }),
    );
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('Invalid configuration:');
    for (const key of [
      'DATABASE_URL',
      'AMQP_PREFETCH',
      'AMQP_DELIVERY_LIMIT',
      'LOG_LEVEL',
      'DATABASE_ROLE',
      'JWT_SECRET',
    ]) {
      expect(
        lines.filter((line) => line.startsWith(`  - ${key}: `)),
        key,
      ).toHaveLength(1);
    }
    expect(lines).toHaveLength(7);
    expect(err.message).not.toContain('too-short-secret-value');
  });

  it('names the keys a service adds to the base', () => {
    const ServiceConfig = BaseConfig.extend({
      SMTP_URL: z.url().describe('Where mail goes'),
      SEND_RATE: z.coerce.number().int().positive(),
    });
    const err = configError(() =>
      loadConfig(ServiceConfig, { JWT_SECRET: SECRET, SEND_RATE: '-3' }),
    );
    expect(err.message).toMatch(/^ {2}- SMTP_URL: /m);
    expect(err.message).toMatch(/^ {2}- SEND_RATE: /m);
  });

  it('needs a JWKS URL in production and a secret or JWKS URL elsewhere', () => {
    expect(
      configError(() => loadConfig(BaseConfig, { NODE_ENV: 'production', JWT_SECRET: SECRET }))
        .message,
    ).toContain('JWT_JWKS_URL');
    expect(configError(() => loadConfig(BaseConfig, {})).message).toContain('JWT_SECRET');
    expect(
      loadConfig(BaseConfig, {
        NODE_ENV: 'production',
        JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
      }).NODE_ENV,
    ).toBe('production');
  });

  it('needs the gateway in production where assignments are checked against the directory', () => {
    const Checked = BaseConfig.extend(MemberDirectoryConfig.shape);
    const production = {
      NODE_ENV: 'production',
      JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
    };
    expect(configError(() => loadConfig(Checked, production)).message).toContain('GATEWAY_URL');
    const config = loadConfig(Checked, { ...production, GATEWAY_URL: 'http://gateway:8080' });
    expect(config).toMatchObject({ GATEWAY_URL: 'http://gateway:8080', GATEWAY_TIMEOUT_MS: 2000 });
    expect(loadConfig(Checked, { JWT_SECRET: SECRET }).GATEWAY_URL).toBeUndefined();
  });
});
