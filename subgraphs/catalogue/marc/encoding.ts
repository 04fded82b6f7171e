/**
 * Character encodings of MARC records: what a record declares, what its bytes look like, and the
 * decision between the two. Decisions are per record because real files mix them (a CP1251 export
 * with records pasted in from a UTF-8 source).
 */
import iconv from 'iconv-lite';
import { type SourceEncoding } from '../record-data';
import { type MarcFamily } from './flavour';
import { decodeMarc8 } from './marc8';

/** The encodings the readers decode. */
export const SOURCE_ENCODINGS: readonly SourceEncoding[] = ['UTF-8', 'CP1251', 'MARC-8'];

const ENCODING_ALIASES: Record<string, SourceEncoding> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  cp1251: 'CP1251',
  'windows-1251': 'CP1251',
  win1251: 'CP1251',
  'marc-8': 'MARC-8',
  marc8: 'MARC-8',
};

/** Accepts an encoding name as users write it (`utf8`, `windows-1251`, `marc8`); throws on anything else. */
export function parseSourceEncoding(name: string): SourceEncoding {
  const encoding = ENCODING_ALIASES[name.trim().toLowerCase()];
  if (!encoding) {
    throw new Error(`Unknown encoding "${name}": expected one of ${SOURCE_ENCODINGS.join(', ')}`);
  }
  return encoding;
}

/** Index of the first byte that breaks UTF-8 (bad lead, bad continuation, overlong, surrogate, truncation), or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** What the bytes of a record say about their encoding. */
export interface ByteProfile {
  /** Bytes ≥ 0x80. */
  highBytes: number;
  /** An ESC (0x1B): only MARC-8 uses escape sequences. */
  hasEscape: boolean;
  /** First invalid UTF-8 byte, -1 when the whole record is valid UTF-8. */
  invalidUtf8At: number;
  /** Looks like Russian text in CP1251: high bytes are mostly letters and some come three in a row. */
  looksLikeCp1251: boolean;
}

/** Profiles the bytes of one record. */
export function profileBytes(bytes: Uint8Array): ByteProfile {
  let highBytes = 0;
  let cyrillicLetters = 0;
  let run = 0;
  let longRuns = 0;
  let hasEscape = false;
  for (const b of bytes) {
    if (b === 0x1b) hasEscape = true;
    if (b < 0x80) {
      run = 0;
      continue;
    }
    highBytes++;
    // А–я plus Ё/ё; CP1251 puts every Russian letter there.
    if (b >= 0xc0 || b === 0xa8 || b === 0xb8) {
      cyrillicLetters++;
      run++;
      if (run === 3) longRuns++;
    } else {
      run = 0;
    }
  }
  const invalidUtf8At = highBytes > 0 ? findInvalidUtf8(bytes) : -1;
  // In MARC-8, bytes 0xE0–0xFE are diacritics written before a Latin letter: they seldom stack three deep,
  // while Russian words in CP1251 are runs of such bytes.
  const looksLikeCp1251 = invalidUtf8At >= 0 && !hasEscape && longRuns > 0 && cyrillicLetters >= 0.7 * highBytes;
  return { highBytes, hasEscape, invalidUtf8At, looksLikeCp1251 };
}

/** The encoding a record was decided to be in, or why none fits. */
export type EncodingDecision = { ok: true; encoding: SourceEncoding } | { ok: false; reason: string };

/**
 * Chooses the encoding of one record from its declaration (null when it declares none we can use)
 * and its bytes. The bytes win when they contradict the declaration: valid UTF-8 with multi-byte
 * sequences is UTF-8 whatever the record says; Russian-looking bytes that are not UTF-8 are CP1251
 * (Russian MARC 21 in CP1251 leaves leader/09 blank, which formally means MARC-8).
 */
export function chooseEncoding(
  bytes: Uint8Array,
  declared: SourceEncoding | null,
  undeclaredDefault: SourceEncoding,
): EncodingDecision {
  const profile = profileBytes(bytes);
  // Pure ASCII decodes the same in all three encodings.
  if (profile.highBytes === 0) return { ok: true, encoding: declared ?? 'UTF-8' };
  if (profile.hasEscape && declared !== 'UTF-8' && declared !== 'CP1251') return { ok: true, encoding: 'MARC-8' };
  if (profile.invalidUtf8At < 0) return { ok: true, encoding: 'UTF-8' };
  if (profile.looksLikeCp1251) return { ok: true, encoding: 'CP1251' };
  if (declared === 'MARC-8' || declared === 'CP1251') return { ok: true, encoding: declared };
  if (declared === 'UTF-8' || hasValidMultibyteSequence(bytes)) {
    return { ok: false, reason: `invalid UTF-8 at byte ${profile.invalidUtf8At} of the record` };
  }
  return { ok: true, encoding: undeclaredDefault };
}

/** True when some high byte starts a well-formed UTF-8 sequence: the text was meant to be UTF-8. */
function hasValidMultibyteSequence(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b < 0xc2 || b > 0xf4) continue;
    const need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
    if (findInvalidUtf8(bytes.subarray(i, i + need + 1)) === -1) return true;
  }
  return false;
}

/**
 * The encoding a record declares: MARC 21 leader/09 ('a' = UTF-8, blank = MARC-8); UNIMARC/RUSMARC
 * 100$a/26-29, two 2-character codes for the G0 and G1 sets ('50' = ISO 10646, i.e. Unicode; RUSMARC
 * '89' = Windows-1251). Other codes ('01' ISO 646 alone, '03' ISO 5426, '79' CP866, '99' KOI-8) give
 * null: we cannot decode them as declared, so the bytes decide.
 */
export function declaredEncoding(family: MarcFamily, leader: string, field100a: string | null): SourceEncoding | null {
  if (family === 'MARC21') {
    const flag = leader.charAt(9);
    return flag === 'a' ? 'UTF-8' : flag === ' ' ? 'MARC-8' : null;
  }
  if (!field100a || field100a.length < 30) return null;
  const sets = [field100a.slice(26, 28), field100a.slice(28, 30)];
  if (sets.includes('50')) return 'UTF-8';
  if (sets.includes('89')) return 'CP1251';
  return null;
}

/** Decodes bytes of one string in the given encoding. */
export function decodeText(bytes: Uint8Array, encoding: SourceEncoding): string {
  switch (encoding) {
    case 'UTF-8':
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    case 'CP1251':
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1251');
    case 'MARC-8':
      return decodeMarc8(bytes);
  }
}
