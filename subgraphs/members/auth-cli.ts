import { Command } from 'commander';
import { loadOrExit } from '../../lib/config';
import type { CredentialRole } from '../../lib/credentials';
import { internalSecretOf } from '../../lib/secrets';
import { loadAuthCliConfig } from './config';
import { type CredentialInfo, issueCredential, listCredentials, revokeCredential } from './credential-client';

/**
 * `npm run auth -- issue | list | revoke`: the network's API keys and tokens, managed on the server that
 * holds the internal secret (the members subgraph stores only hashes; a secret is shown once, here).
 */
const config = loadOrExit(() => loadAuthCliConfig());
const secret = () => internalSecretOf(config);

function expiry(value: string): Date {
  const days = /^(\d+)d$/.exec(value);
  const date = days ? new Date(Date.now() + Number(days[1]) * 86_400_000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`--expires: a number of days (90d) or a date, not "${value}"`);
  return date;
}

const line = (c: CredentialInfo) =>
  [
    c.id,
    c.kind,
    c.role,
    c.memberCode ?? '-',
    c.revokedAt ? `revoked ${c.revokedAt}` : c.expiresAt ? `expires ${c.expiresAt}` : 'no expiry',
    `last used ${c.lastUsedAt ?? 'never'}`,
    JSON.stringify(c.label),
  ].join('  ');

const program = new Command('auth').description('API keys and tokens of the Kuzbass Libraries Graph');
program
  .command('issue')
  .description('issue a key (or --token, a JWT) for a coordinator or for the editor of one member')
  .requiredOption('--role <role>', 'coordinator or editor')
  .requiredOption('--label <text>', 'what it is for, e.g. who holds it')
  .option('--member <code>', 'the member an editor acts for')
  .option('--token', 'a JWT instead of a key')
  .option('--expires <when>', 'days (90d) or a date; keys default to none, tokens to a year')
  .action(async (opts: { role: string; label: string; member?: string; token?: boolean; expires?: string }) => {
    const { credential, secret: issued } = await issueCredential(config.membersUrl, secret(), {
      role: opts.role.toUpperCase() as CredentialRole,
      label: opts.label,
      memberCode: opts.member,
      kind: opts.token ? 'TOKEN' : 'KEY',
      expiresAt: opts.expires ? expiry(opts.expires) : undefined,
    });
    process.stdout.write(`${line(credential)}\n\n${issued}\n\n`);
    process.stderr.write(
      'Shown once: the network keeps only its hash. Send it as `Authorization: Bearer <it>` (or `X-Api-Key`).\n',
    );
  });
program
  .command('list')
  .description('list every credential (never their secrets)')
  .action(async () => {
    for (const c of await listCredentials(config.membersUrl, secret())) process.stdout.write(`${line(c)}\n`);
  });
program
  .command('revoke <id>')
  .description('revoke a credential (the gateway refuses it within 30 seconds)')
  .action(async (id: string) => {
    process.stdout.write(`${line(await revokeCredential(config.membersUrl, secret(), id))}\n`);
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`auth: ${(error as Error).message}\n`);
  process.exit(1);
});
