import type { Readable } from 'node:stream';
import type { EntityManager } from '../../lib/orm';
import { readRecords } from './marc/read';
import { type CatalogueRecordData, type ReadOptions, type RecordPosition, emptyRecord } from './record-data';
import { finishImportRun, startImportRun, upsertRecords } from './storage';

/** Batches written at once during an import (see importRecords). */
const WRITERS = 2;

export interface Rejection extends RecordPosition {
  reason: string;
}

export interface ImportCounts {
  read: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  rejected: number;
}

export interface ImportReport extends ImportCounts {
  runId: string;
  status: 'SUCCEEDED' | 'FAILED';
  source: string;
  startedAt: Date;
  finishedAt: Date;
  /** Every rejected record with its position and reason (the stored run keeps the first 1000). */
  rejections: Rejection[];
  error: string | null;
}

export interface ImportProgress extends ImportCounts {
  /** Bytes of the input consumed so far. */
  offset: number;
}

export interface ImportOptions extends ReadOptions {
  /** Where the records came from, for the report (file name, `upload`). */
  source: string;
  /** Records per transaction: a failing batch is rolled back whole, earlier batches stay. */
  batchSize: number;
  /** Control numbers to delete besides the records marked deleted in the file. */
  deleteControlNumbers?: string[];
  onProgress?: (progress: ImportProgress) => void;
}

/**
 * Streams a MARC file into one member's catalogue: reads record by record, writes in batches,
 * rejects bad records with their position and reason, and records the run with its report.
 */
export async function importRecords(
  em: EntityManager,
  input: Readable | AsyncIterable<Buffer>,
  options: ImportOptions,
): Promise<ImportReport> {
  const counts: ImportCounts = { read: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, rejected: 0 };
  const rejections: Rejection[] = [];
  const startedAt = new Date();
  const runId = await startImportRun(em.fork(), {
    source: options.source,
    format: options.format ?? null,
    flavour: options.flavour ?? null,
    encoding: options.encoding ?? null,
  });
  const writer = new BatchWriter(em, options.batchSize, counts, options.onProgress);
  let error: string | null = null;
  try {
    for await (const item of readRecords(input, options)) {
      counts.read += 1;
      const reason = !item.ok ? item.reason : !item.record.controlNumber.trim() ? 'no control number (001)' : null;
      if (reason !== null) {
        counts.rejected += 1;
        rejections.push({ index: item.index, offset: item.offset, reason });
        continue;
      }
      if (item.ok) await writer.add(item.record, item.offset);
    }
    await writer.drain();
    if (options.deleteControlNumbers?.length) {
      const result = await upsertRecords(em.fork(), options.deleteControlNumbers.map(deletion));
      counts.deleted += result.deleted;
    }
  } catch (e) {
    error = (e as Error).message;
    await writer.settle(); // never leave a write running behind the report
  }
  const report: ImportReport = {
    runId,
    status: error ? 'FAILED' : 'SUCCEEDED',
    source: options.source,
    startedAt,
    finishedAt: new Date(),
    ...counts,
    rejections,
    error,
  };
  await finishImportRun(em.fork(), runId, report);
  return report;
}

/**
 * Writes an import's records in batches while the next ones are read and parsed, up to WRITERS transactions
 * at a time (parsing and writing take similar time, so each gets a core). Concurrent batches never share a
 * control number: a record whose number is still being written waits for that write, and one that repeats
 * within a batch closes the batch first, so the file's order holds. A failed write fails the next call.
 */
class BatchWriter {
  private batch: CatalogueRecordData[] = [];
  private inBatch = new Set<string>();
  private offset = 0;
  private readonly writes = new Set<Promise<void>>();
  private readonly carrying = new Map<string, Promise<void>>();
  private failure: Error | null = null;

  constructor(
    private readonly em: EntityManager,
    private readonly batchSize: number,
    /** Counted into as batches are written. */
    private readonly counts: ImportCounts,
    private readonly onProgress: ((progress: ImportProgress) => void) | undefined,
  ) {}

  /** Adds a record read up to `offset` of the input. */
  async add(record: CatalogueRecordData, offset: number): Promise<void> {
    this.offset = offset;
    // The same control number twice in one batch: apply the earlier one first, as the file says.
    if (this.inBatch.has(record.controlNumber)) await this.flush();
    const earlier = this.carrying.get(record.controlNumber);
    if (earlier) await earlier;
    this.batch.push(record);
    this.inBatch.add(record.controlNumber);
    if (this.batch.length >= this.batchSize) await this.flush();
  }

  /** Writes what is left and waits for every write; throws the first failure. */
  async drain(): Promise<void> {
    await this.flush();
    await this.settle();
    if (this.failure) throw this.failure;
  }

  /** Waits for the writes under way. */
  async settle(): Promise<void> {
    await Promise.all(this.writes);
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const records = this.batch;
    const readOffset = this.offset;
    this.batch = [];
    this.inBatch = new Set();
    while (this.writes.size >= WRITERS) await Promise.race(this.writes);
    if (this.failure) throw this.failure;
    const release = () => {
      this.writes.delete(write);
      for (const r of records) if (this.carrying.get(r.controlNumber) === write) this.carrying.delete(r.controlNumber);
    };
    const write: Promise<void> = upsertRecords(this.em.fork(), records).then(
      (result) => {
        this.counts.created += result.created;
        this.counts.updated += result.updated;
        this.counts.unchanged += result.unchanged;
        this.counts.deleted += result.deleted;
        this.onProgress?.({ ...this.counts, offset: readOffset });
        release();
      },
      (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(String(e));
        release();
      },
    );
    this.writes.add(write);
    for (const r of records) this.carrying.set(r.controlNumber, write);
  }
}

/** A record that only says "delete this control number". */
function deletion(controlNumber: string): CatalogueRecordData {
  return { ...emptyRecord(controlNumber), deleted: true };
}
