/**
 * Synthetic member catalogues. Each record either takes an edition from the network-wide pool (the
 * same edition, with the same ISBN, title and year, in every member that draws it) or describes an
 * edition of the member's own; the member adds its control number, dates and holdings.
 *
 * Pool editions are numbered; edition n depends only on the network seed and n. A member with S shared
 * records draws S distinct numbers from the first S / 0.6 of the pool (an affine permutation, so no set
 * of used numbers is kept): the low numbers are the popular editions, and a smaller member's shared
 * records are ~60% held by any larger member too.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { generateEdition, type Edition } from './edition';
import type { OutputEncoding } from './iso2709';
import { Random, combineSeeds, hashString, weightedTable } from './prng';
import { encodeRecord, type Holding, type OutputFlavour, type RecordContext } from './records';
import { DEPARTMENTS } from './words';

export type { Edition } from './edition';
export type { Holding } from './records';

/** What to generate. */
export interface GeneratorOptions {
  /** Member code, e.g. «kemgik»: seeds the member's own editions and prefixes its control numbers. */
  member: string;
  /** Number of records to write. */
  records: number;
  flavour: OutputFlavour;
  encoding: OutputEncoding;
  /** Seed of this member's catalogue. */
  seed: number;
  /** Fraction of records drawn from the network-wide pool of editions, 0..1 (default 0.3). */
  shared?: number;
  /** Fraction of records marked deleted (leader/05 'd'), 0..1 (default 0). */
  deleted?: number;
  /** Seed of the network-wide pool, the same for every member of one network (default 2015). */
  networkSeed?: number;
}

/** One generated record with what it was made from. */
export interface GeneratedRecord {
  /** 1-based position in the file. */
  index: number;
  controlNumber: string;
  deleted: boolean;
  /** Number of the edition in the network-wide pool, null for the member's own editions. */
  poolIndex: number | null;
  edition: Edition;
  holdings: Holding[];
  /** The encoded ISO 2709 record. */
  iso: Buffer;
}

/** Totals of a written catalogue. */
export interface CatalogueStats {
  records: number;
  bytes: number;
  shared: number;
  deleted: number;
}

/** Default share of records taken from the network-wide pool. */
export const DEFAULT_SHARED = 0.3;
/** Default seed of the network-wide pool. */
export const DEFAULT_NETWORK_SEED = 2015;
/** Most records in one file: control numbers have seven digits. */
export const MAX_RECORDS = 9_999_999;
/** Share of the pool window a member takes: lower means less overlap between members. */
const POOL_DENSITY = 0.6;
// ISBN serials: [0, 5·10^7) for pool editions, [5·10^7, 10^8) for members' own, so the two never collide.
const OWN_ISBN_BASE = 50_000_000;
const OWN_ISBN_SPACE = 50_000_000;
const OWN_ISBN_STEP = 7_654_321; // coprime to 5·10^7: consecutive records walk the whole space
const POOL_LABEL = hashString('pool');
const OWN_LABEL = hashString('own');
const RECORD_LABEL = hashString('record');
const COPIES = weightedTable([
  [1, 50],
  [2, 25],
  [3, 12],
  [4, 8],
  [5, 5],
]);
const DEPARTMENT_TABLE = weightedTable(DEPARTMENTS);

/** The pool edition number `index` of the network with `networkSeed`. */
export function poolEdition(index: number, networkSeed = DEFAULT_NETWORK_SEED): Edition {
  return generateEdition(new Random(combineSeeds(...seedParts(networkSeed), index, POOL_LABEL)), index);
}

/** The control number of the n-th record (1-based) of a member: «KEMGIK-0000001». */
export function controlNumber(member: string, index: number): string {
  return `${member.toUpperCase()}-${String(index).padStart(7, '0')}`;
}

/** Checks options and fills in defaults; throws a RangeError naming the bad option. */
export function resolveOptions(options: GeneratorOptions): Required<GeneratorOptions> {
  const resolved = {
    ...options,
    shared: options.shared ?? DEFAULT_SHARED,
    deleted: options.deleted ?? 0,
    networkSeed: options.networkSeed ?? DEFAULT_NETWORK_SEED,
  };
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(resolved.member)) throw new RangeError(`member code "${resolved.member}"`);
  if (!Number.isInteger(resolved.records) || resolved.records < 0 || resolved.records > MAX_RECORDS) {
    throw new RangeError(`records must be an integer from 0 to ${MAX_RECORDS}`);
  }
  if (resolved.flavour !== 'RUSMARC' && resolved.flavour !== 'MARC21') throw new RangeError('flavour');
  if (resolved.encoding !== 'UTF-8' && resolved.encoding !== 'CP1251') throw new RangeError('encoding');
  for (const key of ['seed', 'networkSeed'] as const) {
    if (!Number.isSafeInteger(resolved[key])) throw new RangeError(`${key} must be an integer`);
  }
  for (const key of ['shared', 'deleted'] as const) {
    if (!(resolved[key] >= 0 && resolved[key] <= 1)) throw new RangeError(`${key} must be a fraction from 0 to 1`);
  }
  return resolved;
}

// A seed may be any safe integer: both 32-bit halves go into the mix.
function seedParts(seed: number): [number, number] {
  return [seed % 4294967296, Math.floor(seed / 4294967296)];
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Branches of a member: the central library and a member-specific number of numbered branches. */
function memberBranches(memberSeed: number) {
  const rng = new Random(memberSeed);
  const branches: Array<readonly [string, number]> = [['ЦБ', 12]];
  const count = rng.int(2, 12);
  for (let n = 1; n <= count; n++) branches.push([`Филиал № ${n}`, rng.int(1, 3)]);
  return weightedTable(branches);
}

function authorMark(edition: Edition): string {
  const main = edition.persons.find((p) => p.role === 'author')?.surname ?? edition.title;
  const letter = /[A-Za-zА-ЯЁа-яё]/.exec(main)?.[0]?.toUpperCase() ?? 'А';
  return `${letter}${10 + (hashString(main) % 90)}`;
}

function holdingsFor(
  rng: Random,
  edition: Edition,
  branches: ReturnType<typeof memberBranches>,
  inventoryBase: number,
): Holding[] {
  const classPart = (edition.bbk[0] ?? '').replace(/я\d*$/, '');
  const mark = authorMark(edition);
  if (edition.url) {
    return [
      {
        branch: 'ЦБ',
        department: 'Электронный читальный зал',
        classPart,
        authorMark: mark,
        inventoryNumbers: [String(inventoryBase)],
      },
    ];
  }
  const copies = rng.weighted(COPIES);
  const locations = Math.min(copies, 1 + (rng.chance(0.35) ? 1 : 0) + (rng.chance(0.1) ? 1 : 0));
  const holdings: Holding[] = [];
  for (let copy = 0; copy < copies; copy++) {
    const inventory = String(inventoryBase + copy);
    if (copy < locations) {
      const branch = rng.weighted(branches);
      const department = rng.weighted(DEPARTMENT_TABLE);
      const same = holdings.find((h) => h.branch === branch && h.department === department);
      if (same) same.inventoryNumbers.push(inventory);
      else holdings.push({ branch, department, classPart, authorMark: mark, inventoryNumbers: [inventory] });
    } else {
      holdings[copy % holdings.length]!.inventoryNumbers.push(inventory);
    }
  }
  return holdings;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Generates the member's catalogue record by record, deterministically from the options (checked at once). */
export function generateCatalogue(options: GeneratorOptions): Generator<GeneratedRecord> {
  return withCopies(catalogue(resolveOptions(options)));
}

function* withCopies(entries: Generator<CatalogueEntry>): Generator<GeneratedRecord> {
  for (const { meta, record } of entries) yield { ...meta, iso: copy(record) };
}

function copy(record: Uint8Array): Buffer {
  const buffer = Buffer.allocUnsafe(record.length);
  buffer.set(record);
  return buffer;
}

/** A record as built: what it was made from, and its bytes as a view valid until the next one is built. */
interface CatalogueEntry {
  meta: Omit<GeneratedRecord, 'iso'>;
  record: Uint8Array;
}

function* catalogue(o: Required<GeneratorOptions>): Generator<CatalogueEntry> {
  const memberSeed = combineSeeds(hashString(o.member.toLowerCase()), ...seedParts(o.seed));
  const sigla = o.member.toUpperCase();
  const branches = memberBranches(memberSeed);
  const setup = new Random(combineSeeds(memberSeed, hashString('pool-walk')));
  const window = Math.max(1, Math.ceil((o.records * o.shared) / POOL_DENSITY));
  let step = 1 + Math.floor(setup.next() * Math.max(1, window - 1));
  while (gcd(step, window) !== 1) step++;
  const start = Math.floor(setup.next() * window);
  const ownOffset = memberSeed % OWN_ISBN_SPACE;
  let sharedTaken = 0;

  for (let k = 0; k < o.records; k++) {
    const rng = new Random(combineSeeds(memberSeed, k, RECORD_LABEL));
    const wantsShared = rng.next() < o.shared;
    const deleted = rng.next() < o.deleted;
    let poolIndex: number | null = null;
    let edition: Edition;
    if (wantsShared && sharedTaken < window) {
      poolIndex = (start + sharedTaken * step) % window;
      sharedTaken++;
      edition = poolEdition(poolIndex, o.networkSeed);
    } else {
      const serial = OWN_ISBN_BASE + ((ownOffset + k * OWN_ISBN_STEP) % OWN_ISBN_SPACE);
      edition = generateEdition(new Random(combineSeeds(memberSeed, k, OWN_LABEL)), serial);
    }

    // Books published since 1993 are catalogued on arrival; older ones came in with retroconversion.
    const enteredYear =
      edition.year >= 1993
        ? Math.min(2026, edition.year + (rng.chance(0.7) ? rng.int(0, 1) : rng.int(0, 10)))
        : rng.int(1993, 2012);
    const monthDay = `${pad2(rng.int(1, 12))}${pad2(rng.int(1, 28))}`;
    const entered = `${enteredYear}${monthDay}`;
    const status = deleted ? 'd' : rng.chance(0.1) ? 'c' : 'n';
    // A corrected or deleted record was last changed after it was entered.
    const changedYear = status === 'n' ? enteredYear : Math.min(2026, enteredYear + rng.int(0, 5));
    const time = `${pad2(rng.int(8, 18))}${pad2(rng.int(0, 59))}${pad2(rng.int(0, 59))}`;
    const timestamp = `${changedYear}${monthDay}${time}.0`;
    const holdings = holdingsFor(rng, edition, branches, 1_000_000 + k * 5);
    const context: RecordContext = {
      controlNumber: controlNumber(o.member, k + 1),
      sigla,
      status,
      entered,
      timestamp,
      holdings,
    };
    yield {
      meta: { index: k + 1, controlNumber: context.controlNumber, deleted, poolIndex, edition, holdings },
      record: encodeRecord(edition, context, o.flavour, o.encoding),
    };
  }
}

/** One encoded ISO 2709 record per item, in file order. */
export function* generateRecords(options: GeneratorOptions): Generator<Buffer> {
  for (const { record } of catalogue(resolveOptions(options))) yield copy(record);
}

const CHUNK_BYTES = 1 << 20;
const MAX_RECORD_BYTES = 99_999;

/** Writes the catalogue to `out` in ~1 MB chunks, so memory stays flat whatever the record count. */
export async function writeCatalogue(options: GeneratorOptions & { out: string }): Promise<CatalogueStats> {
  const entries = catalogue(resolveOptions(options));
  const stats: CatalogueStats = { records: 0, bytes: 0, shared: 0, deleted: 0 };
  // Two chunk buffers: records go into one while the other is being written, so generating and writing
  // overlap and no memory is allocated per chunk.
  const chunks = [
    Buffer.allocUnsafe(CHUNK_BYTES + MAX_RECORD_BYTES),
    Buffer.allocUnsafe(CHUNK_BYTES + MAX_RECORD_BYTES),
  ];
  let current = 0;
  let used = 0;
  let writing: Promise<void> = Promise.resolve();
  const file = await open(options.out, 'w');
  try {
    for (const { meta, record } of entries) {
      chunks[current]!.set(record, used);
      used += record.length;
      stats.records++;
      stats.bytes += record.length;
      if (meta.poolIndex !== null) stats.shared++;
      if (meta.deleted) stats.deleted++;
      if (used >= CHUNK_BYTES) {
        await writing;
        writing = writeFully(file, chunks[current]!, used);
        current = 1 - current;
        used = 0;
      }
    }
    await writing;
    await writeFully(file, chunks[current]!, used);
  } finally {
    await writing.catch(() => undefined);
    await file.close();
  }
  return stats;
}

async function writeFully(file: FileHandle, chunk: Buffer, length: number): Promise<void> {
  for (let written = 0; written < length;) {
    written += (await file.write(chunk, written, length - written)).bytesWritten;
  }
}
