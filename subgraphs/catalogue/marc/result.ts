/**
 * The last step every reader shares: a decoded MarcRecord becomes a ReadResult, and a record that
 * cannot be normalised becomes a reject instead of stopping the import.
 */
import { type MarcRecord } from 'marcrecord';
import { type ReadResult, type RecordPosition } from '../record-data';
import { normaliseRecord, type NormaliseContext } from './normalise';

/** A reject at a position. */
export function rejectResult(position: RecordPosition, reason: string): ReadResult {
  return { ok: false, index: position.index, offset: position.offset, reason };
}

/** Normalises the record; any failure becomes a reject naming the cause. */
export function recordResult(record: MarcRecord, position: RecordPosition, context: NormaliseContext): ReadResult {
  try {
    return { ok: true, index: position.index, offset: position.offset, record: normaliseRecord(record, context) };
  } catch (error) {
    return rejectResult(
      position,
      `cannot normalise the record: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
