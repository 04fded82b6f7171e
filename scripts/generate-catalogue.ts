/**
 * `node dist/scripts/generate-catalogue.js --member kemgik --records 100000 --flavour RUSMARC --encoding CP1251
 *  --seed 1 --shared 0.3 --out kemgik.iso`: writes a synthetic member catalogue as ISO 2709.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_NETWORK_SEED,
  DEFAULT_SHARED,
  MAX_RECORDS,
  writeCatalogue,
  type GeneratorOptions,
} from './catalogue-generator';

export * from './catalogue-generator';

function integer(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('Not an integer.');
  return n;
}

function count(value: string): number {
  const n = integer(value);
  if (n < 0 || n > MAX_RECORDS) throw new InvalidArgumentError(`Must be from 0 to ${MAX_RECORDS}.`);
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) throw new InvalidArgumentError('Must be a number from 0 to 1.');
  return n;
}

/** Runs the command line `argv` (without node and script) and returns the one-line summary it prints. */
export async function main(argv: readonly string[]): Promise<string> {
  const program = new Command('generate-catalogue')
    .description('Write a synthetic library catalogue as ISO 2709 (RUSMARC or MARC21, UTF-8 or CP1251)')
    .exitOverride()
    .requiredOption('--member <code>', 'member code; prefixes control numbers and seeds its own editions')
    .requiredOption('--records <n>', 'number of records', count)
    .addOption(new Option('--flavour <flavour>', 'MARC flavour').choices(['RUSMARC', 'MARC21']).default('RUSMARC'))
    .addOption(new Option('--encoding <encoding>', 'character encoding').choices(['UTF-8', 'CP1251']).default('UTF-8'))
    .option('--seed <int>', "seed of the member's catalogue", integer, 1)
    .option(
      '--shared <fraction>',
      'fraction of records from the network-wide pool of editions',
      fraction,
      DEFAULT_SHARED,
    )
    .option('--deleted <fraction>', 'fraction of records marked deleted (leader/05 d)', fraction, 0)
    .option(
      '--network-seed <int>',
      'seed of the network-wide pool (same for every member)',
      integer,
      DEFAULT_NETWORK_SEED,
    )
    .requiredOption('--out <file>', 'output file');
  program.parse([...argv], { from: 'user' });
  const opts = program.opts<Omit<GeneratorOptions, 'networkSeed'> & { networkSeed: number; out: string }>();
  const started = process.hrtime.bigint();
  const stats = await writeCatalogue(opts);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return (
    `${opts.member}: ${stats.records} records (${opts.flavour}, ${opts.encoding}, seed ${opts.seed}; ` +
    `${stats.shared} shared, ${stats.deleted} deleted) → ${opts.out}, ${stats.bytes} bytes in ${seconds.toFixed(1)} s ` +
    `(${Math.round(stats.records / Math.max(seconds, 1e-9))} records/s)`
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (summary) => process.stdout.write(`${summary}\n`),
    (error: unknown) => {
      // Commander has already printed its own usage errors (and --help output).
      if (error instanceof CommanderError) process.exitCode = error.exitCode;
      else {
        process.stderr.write(`generate-catalogue failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    },
  );
}
