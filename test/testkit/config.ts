import { z } from 'zod';
import { parseEnv, type Env } from '../../lib/config';

export const testEnv = z.object({
  TEST_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .describe('PostgreSQL server for the tests (each test file gets its own database); embedded PGlite when unset'),
  TEST_EMBEDDED_DATABASE_URL: z
    .string()
    .optional()
    .describe('Set by the test global setup: URL of the embedded PostgreSQL it started (not for users)'),
  TEST_LOG_LEVEL: z.string().default('silent').describe('Log level of services started by tests'),
  TEST_CHROMIUM_PATH: z
    .string()
    .default('/usr/bin/chromium')
    .describe("Chromium the dashboard, explorer and CORS tests drive (Debian's package; `npm test` installs it)"),
  TEST_REDIS_URL: z
    .url({ protocol: /^rediss?$/ })
    .default('redis://127.0.0.1:6379')
    .describe(
      'Redis the shared rate-limit and persisted-query tests use (`npm test` starts the local one when it is not running)',
    ),
  TEST_UPDATE_SCREENSHOTS: z
    .enum(['true', 'false'])
    .default('false')
    .describe('`true`: the dashboard test also writes docs/dashboard.png (`npm run screenshot:dashboard`)'),
});

export function loadTestConfig(env: Env = process.env) {
  return parseEnv('tests', testEnv, env);
}
