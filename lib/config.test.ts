import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadGatewayConfig } from '../gateway/config';
import { loadMembersConfig } from '../subgraphs/members/config';
import { ConfigError } from './config';

describe('service configuration', () => {
  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadMembersConfig({
        MEMBERS_PORT: 'abc',
        MEMBERS_DATABASE_URL: 'mysql://db/x',
        LOG_LEVEL: 'loud',
        MEMBERS_DB_SCHEMA: 'Bad-Name',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(fields.sort()).toEqual(['LOG_LEVEL', 'MEMBERS_DATABASE_URL', 'MEMBERS_DB_SCHEMA', 'MEMBERS_PORT']);
  });

  it('applies defaults, treats empty values as unset and falls back to DATABASE_URL', () => {
    const config = loadMembersConfig({ MEMBERS_PORT: '', DATABASE_URL: 'postgres://pg:5432/all' });
    expect(config).toMatchObject({
      port: 4001,
      dbSchema: 'members',
      databaseUrl: 'postgres://pg:5432/all',
      host: '127.0.0.1',
    });
    expect(
      loadMembersConfig({ MEMBERS_DATABASE_URL: 'postgresql://pg/m', DATABASE_URL: 'postgres://pg/all' }).databaseUrl,
    ).toBe('postgresql://pg/m');
    expect(loadGatewayConfig({ GATEWAY_INTROSPECT: '1', EVENTS_URL: 'http://events:4003/graphql' })).toMatchObject({
      introspect: true,
      subgraphUrls: { events: 'http://events:4003/graphql' },
    });
  });

  it('makes a service exit with the list instead of a stack trace', () => {
    // The compiled entry point, built by `npm test`'s tsc step.
    const result = spawnSync(process.execPath, [join(__dirname, '../dist/gateway/main.js')], {
      env: { GATEWAY_PORT: '99999', GATEWAY_SUBGRAPH_TIMEOUT_MS: 'soon' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration for gateway');
    expect(result.stderr).toContain('GATEWAY_PORT');
    expect(result.stderr).toContain('GATEWAY_SUBGRAPH_TIMEOUT_MS');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
