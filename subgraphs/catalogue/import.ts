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
  let batch: CatalogueRecordData[] = [];
  let inBatch = new Set<string>();
  let offset = 0;
  let error: string | null = null;

  // Batches are written while the next ones are read and parsed, up to WRITERS transactions at a time
  // (parsing and writing take similar time, so each gets a core). Concurrent batches never share a control
  // number: a record whose number is still being written waits for that write, so the file's order holds.
  const writes = new Set<Promise<void>>();
  const carrying = new Map<string, Promise<void>>();
  let writeError: Error | null = null;
  const flush = async () => {
    if (batch.length === 0) return;
    const records = batch;
    const readOffset = offset;
    batch = [];
    inBatch = new Set();
    while (writes.size >= WRITERS) await Promise.race(writes);
    if (writeError) throw writeError;
    const release = () => {
      writes.delete(write);
      for (const r of records) if (carrying.get(r.controlNumber) === write) carrying.delete(r.controlNumber);
    };
    const write: Promise<void> = upsertRecords(em.fork(), records).then(
      (result) => {
        counts.created += result.created;
        counts.updated += result.updated;
        counts.unchanged += result.unchanged;
        counts.deleted += result.deleted;
        options.onProgress?.({ ...counts, offset: readOffset });
        release();
      },
      (e: unknown) => {
        writeError ??= e instanceof Error ? e : new Error(String(e));
        release();
      },
    );
    writes.add(write);
    for (const r of records) carrying.set(r.controlNumber, write);
  };
  const settle = () => Promise.all(writes);
  const drain = async () => {
    await flush();
    await settle();
    if (writeError) throw writeError;
  };

  try {
    for await (const item of readRecords(input, options)) {
      counts.read += 1;
      offset = item.offset;
      if (!item.ok) {
        counts.rejected += 1;
        rejections.push({ index: item.index, offset: item.offset, reason: item.reason });
        continue;
      }
      if (!item.record.controlNumber.trim()) {
        counts.rejected += 1;
        rejections.push({ index: item.index, offset: item.offset, reason: 'no control number (001)' });
        continue;
      }
      // The same control number twice in one batch: apply the earlier one first, as the file says.
      if (inBatch.has(item.record.controlNumber)) await flush();
      const earlier = carrying.get(item.record.controlNumber);
      if (earlier) await earlier;
      batch.push(item.record);
      inBatch.add(item.record.controlNumber);
      if (batch.length >= options.batchSize) await flush();
    }
    await drain();
    if (options.deleteControlNumbers?.length) {
      const result = await upsertRecords(
        em.fork(),
        options.deleteControlNumbers.map((controlNumber) => deletion(controlNumber)),
      );
      counts.deleted += result.deleted;
    }
  } catch (e) {
    error = (e as Error).message;
    await settle(); // never leave a write running behind the report
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

/** A record that only says "delete this control number". */
function deletion(controlNumber: string): CatalogueRecordData {
  return { ...emptyRecord(controlNumber), deleted: true };
}
