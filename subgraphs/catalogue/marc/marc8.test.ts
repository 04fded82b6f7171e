import { readRecords } from './read';
import { chooseEncoding, declaredEncoding, findInvalidUtf8, parseSourceEncoding } from './encoding';
import { decodeMarc8 } from './marc8';

const ESC = 0x1b;
const bytes = (...parts: (number | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...Buffer.from(p, 'latin1')])));

/** «Библиотека» in MARC-8 basic Cyrillic (ISO-IR 37 order: lower case at 0x40–0x5F, upper case at 0x60–0x7E). */
const BIBLIOTEKA_G0 = [0x62, 0x49, 0x42, 0x4c, 0x49, 0x4f, 0x54, 0x45, 0x4b, 0x41];

describe('decodeMarc8', () => {
  it('passes ASCII through', () => {
    expect(decodeMarc8(bytes('Python programming /'))).toBe('Python programming /');
  });

  it('puts ANSEL combining diacritics after their base letter and composes them (NFC)', () => {
    expect(decodeMarc8(bytes(0xe2, 'e'))).toBe('é');
    expect(decodeMarc8(bytes('Dvo', 0xe9, 'r', 0xe2, 'ak'))).toBe('Dvořák');
    expect(decodeMarc8(bytes('Gr', 0xe8, 'u', 'n'))).toBe('Grün');
    expect(decodeMarc8(bytes('Fran', 0xf0, 'cais'))).toBe('Français');
    // Two marks on one letter: macron then acute → ā + U+0301 (no precomposed form).
    expect(decodeMarc8(bytes(0xe5, 0xe2, 'a'))).toBe('\u0101\u0301');
  });

  it('decodes ANSEL special characters', () => {
    expect(decodeMarc8(bytes(0xa1, 'od', 0xb8))).toBe('Łodı');
    expect(decodeMarc8(bytes(0xc3, ' 2001'))).toBe('© 2001');
    expect(decodeMarc8(bytes(0xb2, 'ygard'))).toBe('øygard');
    expect(decodeMarc8(bytes(0xc7, ' ', 0xc8))).toBe('ß €');
  });

  it('decodes basic Cyrillic designated to G0 with ESC ( N and back to ASCII with ESC ( B', () => {
    expect(decodeMarc8(bytes(ESC, '(N', ...BIBLIOTEKA_G0, ESC, '(B', ' 2015'))).toBe('Библиотека 2015');
  });

  it('decodes basic Cyrillic designated to G1 with ESC ) N (bytes with the high bit set)', () => {
    const g1 = BIBLIOTEKA_G0.map((b) => b | 0x80);
    expect(decodeMarc8(bytes(ESC, ')N', ...g1, ' ', 0xe0, 0xe1, 0xfa))).toBe('Библиотека ЮАЗ');
  });

  it('decodes extended Cyrillic (ESC ) Q) and keeps ASCII in G0 meanwhile', () => {
    expect(decodeMarc8(bytes(ESC, ')Q', 0xe4, ' ', 0xc4, ' ', 0xe6, 0xc7, ' ok'))).toBe('Ё ё \u0406\u0457 ok');
  });

  it('decodes the Greek, subscript and superscript shortcuts', () => {
    expect(decodeMarc8(bytes(ESC, 'g', 'a', ESC, 's', '-particle'))).toBe('α-particle');
    expect(decodeMarc8(bytes('H', ESC, 'b', '2', ESC, 's', 'O'))).toBe('H₂O');
    expect(decodeMarc8(bytes('E=mc', ESC, 'p', '2', ESC, 's'))).toBe('E=mc²');
    expect(decodeMarc8(bytes(ESC, '(S', 0x61, 0x62, 0x64, ESC, '(B'))).toBe('αβγ');
  });

  it('maps the non-sort markers and replaces East Asian text it cannot decode', () => {
    expect(decodeMarc8(bytes(0x88, 'The ', 0x89, 'title'))).toBe('\u0098The \u009ctitle');
    expect(decodeMarc8(bytes(ESC, '$1', 0x21, 0x30, 0x21, ESC, '(B', 'x'))).toBe('\ufffdx');
  });
});

describe('encoding decisions', () => {
  it('accepts the usual spellings of the three encodings and rejects others', () => {
    expect(parseSourceEncoding('utf8')).toBe('UTF-8');
    expect(parseSourceEncoding('Windows-1251')).toBe('CP1251');
    expect(parseSourceEncoding('marc8')).toBe('MARC-8');
    expect(() => parseSourceEncoding('koi8-r')).toThrow('Unknown encoding "koi8-r"');
  });

  it('finds the first invalid UTF-8 byte', () => {
    expect(findInvalidUtf8(Buffer.from('Библиотека'))).toBe(-1);
    expect(findInvalidUtf8(bytes('ab', 0xc3))).toBe(2);
    expect(findInvalidUtf8(bytes('ab', 0xc0, 0x80))).toBe(2); // overlong
    expect(findInvalidUtf8(bytes(0xed, 0xa0, 0x80))).toBe(0); // surrogate
  });

  it('reads the declaration from MARC 21 leader/09 and UNIMARC 100$a/26-29', () => {
    expect(declaredEncoding('MARC21', '00875nam a2200253 i 4500', null)).toBe('UTF-8');
    expect(declaredEncoding('MARC21', '00875nam  2200253 i 4500', null)).toBe('MARC-8');
    expect(declaredEncoding('UNIMARC', '', '19980716d1997    u  y0rusy0189    ca')).toBe('CP1251');
    expect(declaredEncoding('UNIMARC', '', '19961119d1996    ||||0itac50      ba')).toBe('UTF-8');
    expect(declaredEncoding('UNIMARC', '', '19970701d1927    m  y0frey0103    ba')).toBeNull();
  });

  it('lets the bytes overrule a declaration they contradict', () => {
    const cp1251 = Buffer.from([0xc1, 0xe8, 0xe1, 0xeb, 0xe8, 0xee, 0xf2, 0xe5, 0xea, 0xe0]); // «Библиотека»
    expect(chooseEncoding(cp1251, 'MARC-8', 'MARC-8')).toEqual({ ok: true, encoding: 'CP1251' });
    expect(chooseEncoding(Buffer.from('Библиотека'), 'CP1251', 'CP1251')).toEqual({ ok: true, encoding: 'UTF-8' });
    expect(chooseEncoding(bytes('Dvo', 0xe9, 'r', 0xe2, 'ak'), 'MARC-8', 'MARC-8')).toEqual({
      ok: true,
      encoding: 'MARC-8',
    });
    expect(chooseEncoding(bytes('caf', 0xc3, 0xa9, ' ', 0xe9, 't', 0xe9), null, 'CP1251')).toEqual({
      ok: false,
      reason: 'invalid UTF-8 at byte 6 of the record',
    });
  });
});

/** A minimal ISO 2709 record from raw field bytes, so tests can put any byte in a field. */
function iso2709(leaderTemplate: string, fields: [string, Uint8Array][]): Buffer {
  const FT = 0x1e;
  const data: Buffer[] = [];
  let directory = '';
  let offset = 0;
  for (const [tag, body] of fields) {
    const field = Buffer.concat([Buffer.from(body), Buffer.from([FT])]);
    directory += tag + String(field.length).padStart(4, '0') + String(offset).padStart(5, '0');
    offset += field.length;
    data.push(field);
  }
  const base = 24 + directory.length + 1;
  const length = base + offset + 1;
  const leader =
    String(length).padStart(5, '0') +
    leaderTemplate.slice(5, 12) +
    String(base).padStart(5, '0') +
    leaderTemplate.slice(17);
  return Buffer.concat([Buffer.from(leader + directory, 'latin1'), Buffer.from([FT]), ...data, Buffer.from([0x1d])]);
}

async function* once(buffer: Buffer): AsyncGenerator<Buffer> {
  yield buffer;
}

describe('MARC-8 records', () => {
  it('reads a hand-made MARC 21 record in MARC-8 with Cyrillic and Latin diacritics', async () => {
    const record = iso2709('00000nam  2200000 a 4500', [
      ['001', bytes('m8-1')],
      ['100', bytes('1 ', 0x1f, 'aDvo', 0xe9, 'r', 0xe2, 'ak, Anton', 0xe2, 'in.')],
      ['245', bytes('10', 0x1f, 'a', ESC, '(N', ...BIBLIOTEKA_G0, ESC, '(B', ' /', 0x1f, 'cCaf', 0xe2, 'e.')],
      ['260', bytes('  ', 0x1f, 'aPraha :', 0x1f, 'bSupraphon,', 0x1f, 'c1999.')],
    ]);
    const results = [];
    for await (const r of readRecords(once(record))) results.push(r);
    expect(results).toHaveLength(1);
    const [result] = results;
    if (!result?.ok) throw new Error(`rejected: ${JSON.stringify(result)}`);
    expect(result.record).toMatchObject({
      controlNumber: 'm8-1',
      title: 'Библиотека',
      statementOfResponsibility: 'Café',
      authors: [{ name: 'Dvořák, Antonín', role: null }],
      place: 'Praha',
      publisher: 'Supraphon',
      year: 1999,
      encoding: 'MARC-8',
      flavour: 'MARC21',
    });
    // The stored MARCXML is Unicode and says so (leader/09 'a').
    expect(result.record.marcXml).toContain('<subfield code="a">Библиотека /</subfield>');
    expect(result.record.marcXml).toMatch(/<leader>\d{5}nam a22\d{5} a 4500<\/leader>/);
  });
});
