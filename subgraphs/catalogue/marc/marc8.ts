/**
 * MARC-8 → Unicode, hand-written because no npm package decodes MARC-8.
 *
 * MARC-8 (https://www.loc.gov/marc/specifications/speccharmarc8.html) is ISO 2022-like: G0 (bytes
 * 0x21–0x7E) starts as ASCII, G1 (bytes 0xA1–0xFE) as ANSEL (extended Latin); escape sequences
 * switch either to another set. Covered: ASCII, ANSEL (specials and combining diacritics), basic and
 * extended Cyrillic, basic Greek, and the Greek symbol / subscript / superscript shortcuts. Hebrew,
 * Arabic and East Asian (EACC) text decodes to U+FFFD, one per character.
 */

const ESC = 0x1b;

/** Final characters of the MARC-8 character sets (the byte after the escape sequence). */
const SET = {
  ascii: 0x42, // 'B'
  ansel: 0x45, // 'E'
  cyrillic: 0x4e, // 'N'
  cyrillicExtended: 0x51, // 'Q'
  greek: 0x53, // 'S'
  greekSymbols: 0x67, // 'g'
  subscript: 0x62, // 'b'
  superscript: 0x70, // 'p'
  eacc: 0x31, // '1', three bytes per character
} as const;

interface Charset {
  /** 7-bit code (0x21–0x7E) → code point. */
  chars: Map<number, number>;
  /** Codes of combining marks, which MARC-8 writes before their base character. */
  combining: Set<number>;
  /** Codes the table does not list fall back to ASCII (true for the shortcut sets) or to U+FFFD. */
  asciiFallback: boolean;
}

function charset(entries: [number, number][], combining: number[] = [], asciiFallback = false): Charset {
  return { chars: new Map(entries), combining: new Set(combining), asciiFallback };
}

/** Consecutive code points from `from`, written as a string for readability. */
function run(from: number, text: string): [number, number][] {
  return [...text].map((ch, i) => [from + i, ch.codePointAt(0) ?? 0xfffd]);
}

/** ANSEL, keyed by the low 7 bits of its G1 byte (0xA1 → 0x21). */
const ANSEL = charset(
  [
    ...run(0x21, 'ŁØĐÞÆŒʹ·♭®±ƠƯʾ'),
    [0x30, 0x2bb],
    ...run(0x31, 'łøđþæœʺı£ð'),
    [0x3c, 0x1a1],
    [0x3d, 0x1b0],
    ...run(0x40, '°ℓ℗©♯¿¡ß€'),
    // Combining diacritics 0xE0–0xFE.
    [0x60, 0x309],
    [0x61, 0x300],
    [0x62, 0x301],
    [0x63, 0x302],
    [0x64, 0x303],
    [0x65, 0x304],
    [0x66, 0x306],
    [0x67, 0x307],
    [0x68, 0x308],
    [0x69, 0x30c],
    [0x6a, 0x30a],
    [0x6b, 0xfe20],
    [0x6c, 0xfe21],
    [0x6d, 0x315],
    [0x6e, 0x30b],
    [0x6f, 0x310],
    [0x70, 0x327],
    [0x71, 0x328],
    [0x72, 0x323],
    [0x73, 0x324],
    [0x74, 0x325],
    [0x75, 0x333],
    [0x76, 0x332],
    [0x77, 0x326],
    [0x78, 0x31c],
    [0x79, 0x32e],
    [0x7a, 0xfe22],
    [0x7b, 0xfe23],
    [0x7e, 0x313],
  ],
  [...Array.from({ length: 0x1c }, (_, i) => 0x60 + i), 0x7e],
);

/** ISO-IR 37 order (as KOI-7): lower case at 0x40–0x5F, upper case at 0x60–0x7E. */
const CYRILLIC = charset([
  ...run(0x21, '!"#$%&\'()*+,-./0123456789:;<=>?'),
  ...run(0x40, 'юабцдефгхийклмнопярстужвьызшэщчъ'),
  ...run(0x60, 'ЮАБЦДЕФГХИЙКЛМНОПЯРСТУЖВЬЫЗШЭЩЧ'),
]);

/** Extended Cyrillic, keyed by the low 7 bits of its G1 byte (0xC0 → 0x40). */
const CYRILLIC_EXTENDED = charset([
  ...run(0x40, 'ґђѓєёѕіїјљњћќўџ'),
  ...run(0x50, 'ѣѳѵѫ'),
  [0x5b, 0x5b],
  [0x5d, 0x5d],
  [0x5f, 0x5f],
  ...run(0x60, 'ҐЂЃЄЁЅІЇЈЉЊЋЌЎЏЪѢѲѴѪ'),
]);

const GREEK = charset(
  [
    ...run(0x21, '\u0300\u0301\u0308\u0342\u0313\u0314\u0345'),
    ...run(0x30, '«»“”ʹ͵'),
    [0x3b, 0x387],
    [0x3f, 0x37e],
    ...run(0x41, 'ΑΒ'),
    ...run(0x44, 'ΓΔΕϚϜΖΗΘΙΚΛΜΝΞΟΠϞΡΣ'),
    ...run(0x58, 'ΤΥΦΧΨΩϠ'),
    ...run(0x61, 'αβϐγδεϛϝζηθικλμνξοπϟρσςτυφχψωϡ'),
  ],
  [0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27],
);

const GREEK_SYMBOLS = charset(run(0x61, 'αβγ'), [], true);
const SUBSCRIPT = charset([...run(0x28, '₍₎'), [0x2b, 0x208a], [0x2d, 0x208b], ...run(0x30, '₀₁₂₃₄₅₆₇₈₉')], [], true);
const SUPERSCRIPT = charset([...run(0x28, '⁽⁾'), [0x2b, 0x207a], [0x2d, 0x207b], ...run(0x30, '⁰¹²³⁴⁵⁶⁷⁸⁹')], [], true);
const ASCII = charset([], [], true);

const CHARSETS = new Map<number, Charset>([
  [SET.ascii, ASCII],
  [SET.ansel, ANSEL],
  [SET.cyrillic, CYRILLIC],
  [SET.cyrillicExtended, CYRILLIC_EXTENDED],
  [SET.greek, GREEK],
  [SET.greekSymbols, GREEK_SYMBOLS],
  [SET.subscript, SUBSCRIPT],
  [SET.superscript, SUPERSCRIPT],
]);

/** C1 controls MARC-8 gives a meaning: non-sort begin/end and the (non-)joiners. */
const C1 = new Map<number, number>([
  [0x88, 0x98],
  [0x89, 0x9c],
  [0x8d, 0x200d],
  [0x8e, 0x200c],
]);

const REPLACEMENT = '\ufffd';

/**
 * Decodes one MARC-8 string (a subfield or a control field) to NFC Unicode. Each string starts with
 * the default sets, as MARC 21 requires escapes to be closed within the field.
 */
export function decodeMarc8(bytes: Uint8Array): string {
  let g0: number = SET.ascii;
  let g1: number = SET.ansel;
  let out = '';
  let pendingMarks = '';
  const emit = (text: string): void => {
    out += text + pendingMarks;
    pendingMarks = '';
  };

  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b === ESC) {
      const escape = readEscape(bytes, i);
      if (escape.g0 !== undefined) g0 = escape.g0;
      if (escape.g1 !== undefined) g1 = escape.g1;
      i = escape.next;
      continue;
    }
    if (b >= 0x21 && b <= 0x7e && g0 === SET.eacc) {
      // EACC has tens of thousands of entries; a reader of this catalogue sees that text is missing.
      emit(REPLACEMENT);
      i += 3;
      continue;
    }
    i++;
    if (b < 0x20) {
      emit(String.fromCharCode(b));
    } else if (b === 0x20 || b === 0xa0) {
      emit(' ');
    } else if (b <= 0x7e) {
      const decoded = lookup(g0, b);
      if (decoded.combining) pendingMarks += decoded.text;
      else emit(decoded.text);
    } else if (b >= 0xa1 && b <= 0xfe) {
      if (g1 === SET.eacc) {
        emit(REPLACEMENT);
        i += 2;
        continue;
      }
      const decoded = lookup(g1, b & 0x7f, false);
      if (decoded.combining) pendingMarks += decoded.text;
      else emit(decoded.text);
    } else {
      const c1 = C1.get(b);
      if (c1 !== undefined) emit(String.fromCodePoint(c1));
    }
  }
  // Marks left without a base character are kept rather than lost.
  out += pendingMarks;
  return out.normalize('NFC');
}

function lookup(setId: number, code: number, inG0 = true): { text: string; combining: boolean } {
  const set = CHARSETS.get(setId);
  const cp = set?.chars.get(code);
  if (set && cp !== undefined) return { text: String.fromCodePoint(cp), combining: set.combining.has(code) };
  if (inG0 && (set === undefined || set.asciiFallback)) {
    // Unknown sets (Hebrew, Arabic) keep their ASCII-range digits and punctuation readable.
    if (set === undefined && code >= 0x40) return { text: REPLACEMENT, combining: false };
    return { text: String.fromCharCode(code), combining: false };
  }
  return { text: REPLACEMENT, combining: false };
}

/** Reads an escape sequence at `at`; returns the designated sets and where decoding continues. */
function readEscape(bytes: Uint8Array, at: number): { g0?: number; g1?: number; next: number } {
  const first = bytes[at + 1];
  if (first === undefined) return { next: at + 1 };
  // Technique 2 shortcuts: ESC g / ESC b / ESC p switch G0, ESC s returns it to ASCII.
  if (first === SET.greekSymbols || first === SET.subscript || first === SET.superscript) {
    return { g0: first, next: at + 2 };
  }
  if (first === 0x73) return { g0: SET.ascii, next: at + 2 };

  let j = at + 1;
  let multibyte = false;
  if (bytes[j] === 0x24) {
    multibyte = true;
    j++;
  }
  let target: 'g0' | 'g1';
  const designator = bytes[j];
  if (designator === 0x28 || designator === 0x2c) {
    target = 'g0';
    j++;
  } else if (designator === 0x29 || designator === 0x2d) {
    target = 'g1';
    j++;
  } else if (multibyte) {
    target = 'g0';
  } else {
    // Not a designation we know: drop the ESC and read on.
    return { next: at + 1 };
  }
  // ANSEL may be designated with an intermediate '!' (ESC ) ! E).
  if (bytes[j] === 0x21) j++;
  const final = bytes[j];
  if (final === undefined) return { next: j };
  return target === 'g0' ? { g0: final, next: j + 1 } : { g1: final, next: j + 1 };
}
