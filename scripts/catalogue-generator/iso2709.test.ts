import iconv from 'iconv-lite';
import { MarcControlField, MarcDataField, MarcIsoReader, MarcIsoWriter, MarcRecord, MarcSubfield } from 'marcrecord';
import { IsoRecordBuilder, embeddedField, encodeUtf8 } from './iso2709';

const LEADER = '00000nam0 2200000 i 450 ';

function build(encoding: 'UTF-8' | 'CP1251'): Buffer {
  const b = new IsoRecordBuilder(encoding).control('001', 'KEMGIK-0000001');
  b.field('200', '1 ').sub('a', 'Справочник библиографа').sub('e', null).sub('f', 'Н. В. Иванова').end();
  b.field('205', '  ').sub('a', '').end();
  b.field('461', ' 0')
    .sub(
      '1',
      embeddedField('200', '1 ', [
        ['a', 'История Кузбасса'],
        ['v', 'Т. 2'],
      ]),
    )
    .end();
  b.field('899', '  ').sub('a', 'Филиал № 3').sub('p', '1000001').sub('p', '1000002').end();
  return Buffer.from(b.build(LEADER));
}

describe('IsoRecordBuilder', () => {
  it.each(['UTF-8', 'CP1251'] as const)('writes the bytes marcrecord writes for the same record in %s', (encoding) => {
    const record = new MarcRecord();
    record.setLeader(LEADER);
    record.addVariableField(new MarcControlField('001', 'KEMGIK-0000001'));
    record.addVariableField(
      new MarcDataField('200', '1', ' ', [
        new MarcSubfield('a', 'Справочник библиографа'),
        new MarcSubfield('f', 'Н. В. Иванова'),
      ]),
    );
    const link = new MarcDataField('200', '1', ' ', [
      new MarcSubfield('a', 'История Кузбасса'),
      new MarcSubfield('v', 'Т. 2'),
    ]);
    record.addVariableField(new MarcDataField('461', ' ', '0', [new MarcSubfield('1', link)]));
    record.addVariableField(
      new MarcDataField('899', ' ', ' ', [
        new MarcSubfield('a', 'Филиал № 3'),
        new MarcSubfield('p', '1000001'),
        new MarcSubfield('p', '1000002'),
      ]),
    );
    const buffer = Buffer.alloc(10_000);
    const length = MarcIsoWriter.recordToIso2709(record, buffer, { encoding: encoding === 'CP1251' ? 'cp1251' : null });
    expect(build(encoding).equals(buffer.subarray(0, length))).toBe(true);
  });

  it('counts bytes, not characters, in the leader and directory', () => {
    const utf8 = build('UTF-8');
    const cp1251 = build('CP1251');
    expect(utf8.toString('latin1', 0, 5)).toBe(String(utf8.length).padStart(5, '0'));
    expect(cp1251.toString('latin1', 0, 5)).toBe(String(cp1251.length).padStart(5, '0'));
    // 200 is 42 characters (indicators, two delimiter + code pairs, 35 of text, terminator), 30 of them
    // Cyrillic letters: 42 bytes in CP1251, 72 in UTF-8; it starts after the 15 bytes of 001.
    const field200 = (iso: Buffer) => iso.toString('latin1', 24 + 12, 24 + 24);
    expect(field200(cp1251)).toBe('200004200015');
    expect(field200(utf8)).toBe('200007200015');
    // The empty 205 is left out: four fields in the directory.
    expect(Number(utf8.toString('latin1', 12, 17))).toBe(24 + 4 * 12 + 1);
  });

  it('reads back with marcrecord, embedded field included', () => {
    const parsed = MarcIsoReader.parseRecord(build('CP1251'), {
      format: 'UNIMARC',
      encoding: 'cp1251',
      controlFieldRegexp: /^00[1-9]$/,
    });
    const link = (parsed.getVariableFields('461')[0] as MarcDataField).subfields[0]!.data as MarcDataField;
    expect(link.tag).toBe('200');
    expect(link.subfields.map((s) => [s.code, s.data])).toEqual([
      ['a', 'История Кузбасса'],
      ['v', 'Т. 2'],
    ]);
  });

  it('writes a character CP1251 lacks as «?», as iconv-lite does', () => {
    const b = new IsoRecordBuilder('CP1251');
    b.field('215', '  ').sub('d', '60×84 см').end();
    const iso = Buffer.from(b.build(LEADER));
    expect(iso.subarray(24 + 12 + 1 + 4, iso.length - 2).equals(iconv.encode('60×84 см', 'win1251'))).toBe(true);
  });

  it('refuses a field longer than a directory entry can say', () => {
    const b = new IsoRecordBuilder('UTF-8').field('505', '0 ').sub('a', 'я'.repeat(5000));
    expect(() => b.end()).toThrow(RangeError);
  });
});

describe('encodeUtf8', () => {
  it.each(['ASCII', 'Кузбасс ёЁ №', '«Библиотека» – 2015', 'книга 📚', 'lone \ud800 surrogate', ''])(
    'encodes %j as Node does',
    (text) => {
      const target = new Uint8Array(100);
      const end = encodeUtf8(text, target, 3);
      expect(Buffer.from(target.subarray(3, end)).equals(Buffer.from(text, 'utf8'))).toBe(true);
    },
  );
});
