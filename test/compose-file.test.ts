import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeEnv } from '../lib/config';
import { gatewayEnv } from '../gateway/config';
import { SUBGRAPHS } from '../scripts/network';
import { startEnv } from '../scripts/config';
import { catalogueEnv } from '../subgraphs/catalogue/config';

interface ComposeService {
  command?: string[];
  environment?: Record<string, unknown>;
  healthcheck?: { test?: unknown; disable?: boolean };
  depends_on?: Record<string, unknown>;
  profiles?: string[];
}

const compose = parse(readFileSync(join(__dirname, '../docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

describe('docker-compose.yml', () => {
  it('names PostgreSQL, every subgraph and the gateway, each with a health check', () => {
    const expected = ['postgres', ...SUBGRAPHS.map((s) => s.definition.name), 'gateway'];
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(expected));
    for (const name of expected) expect(compose.services[name]?.healthcheck?.test).toBeDefined();
  });

  it('starts each subgraph from its own entry point and points the gateway at each', () => {
    for (const { definition } of SUBGRAPHS) {
      expect(compose.services[definition.name]?.command).toEqual(['node', `dist/subgraphs/${definition.name}/main.js`]);
      expect(compose.services.gateway?.environment?.[`${definition.name.toUpperCase()}_URL`]).toMatch(
        new RegExp(`^http://${definition.name}:\\d+/graphql$`),
      );
    }
  });

  it('uses only variables the code reads', () => {
    const known = new Set([
      ...describeEnv(gatewayEnv).map((v) => v.name),
      ...describeEnv(startEnv).map((v) => v.name),
      ...describeEnv(catalogueEnv).map((v) => v.name),
      ...SUBGRAPHS.flatMap((s) => describeEnv(s.env).map((v) => v.name)),
    ]);
    for (const [name, service] of Object.entries(compose.services)) {
      if (name === 'postgres') continue;
      for (const variable of Object.keys(service.environment ?? {})) {
        expect({ service: name, variable, known: known.has(variable) }).toEqual({
          service: name,
          variable,
          known: true,
        });
      }
    }
  });
});
