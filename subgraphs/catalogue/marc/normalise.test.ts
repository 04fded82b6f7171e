import iconv from 'iconv-lite';
import { MarcControlField, MarcDataField, MarcRecord, MarcSubfield } from 'marcrecord';
import { type ReadResult } from '../record-data';
import { detectFamily, detectFlavour } from './flavour';
import { materialType, normaliseRecord, parseIsbn, parseYear, toIsbn13, trimFinal, trimIsbd } from './normalise';
import { readRecords } from './read';

async function readText(text: string | Buffer): Promise<ReadResult[]> {
  async function* input(): AsyncGenerator<Buffer> {
    yield Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  }
  const results: ReadResult[] = [];
  for await (const r of readRecords(input())) results.push(r);
  return results;
}

function field(tag: string, ind: string, ...subfields: [string, string][]): MarcDataField {
  return new MarcDataField(
    tag,
    ind.charAt(0),
    ind.charAt(1),
    subfields.map(([code, data]) => new MarcSubfield(code, data)),
  );
}

describe('ISBN', () => {
  it('splits the number from its qualifier, validates it and converts ISBN-10 to ISBN-13', () => {
    expect(parseIsbn('978-5-7779-0234-1 (в пер.)')).toEqual({
      raw: '978-5-7779-0234-1',
      isbn13: null,
      qualifier: 'в пер.',
    });
    expect(parseIsbn('1565926218 (pbk. : alk. paper)')).toEqual({
      raw: '1565926218',
      isbn13: '9781565926219',
      qualifier: 'pbk. : alk. paper',
    });
    expect(parseIsbn('5-04-010272-0', ['В пер.'])).toEqual({
      raw: '5-04-010272-0',
      isbn13: '9785040102723',
      qualifier: 'В пер.',
    });
  });

  it('checks both check digits', () => {
    expect(toIsbn13('978-1-292-11011-0')).toBe('9781292110110');
    expect(toIsbn13('978-1-292-11011-1')).toBeNull();
    expect(toIsbn13('5-17-015240-X')).toBe('9785170152407');
    expect(toIsbn13('5-900776-31-х')).toBe('9785900776316');
    expect(toIsbn13('5-595-03091-1')).toBeNull();
    expect(toIsbn13('X123456789')).toBeNull();
    expect(toIsbn13('12345')).toBeNull();
  });
});

describe('text clean-up', () => {
  it('takes the first year between 1400 and 2100', () => {
    expect(parseYear('c2001.')).toBe(2001);
    expect(parseYear('[2015]')).toBe(2015);
    expect(parseYear('1900-1914. 4 vol.')).toBe(1900);
    expect(parseYear('03 Nov 2008')).toBe(2008);
    expect(parseYear('9999')).toBeNull();
    expect(parseYear('12345 1350 1999')).toBe(1999);
    expect(parseYear(null)).toBeNull();
  });

  it('drops ISBD separators and closing stops, but not those of initials and abbreviations', () => {
    expect(trimIsbd('The pragmatic programmer :')).toBe('The pragmatic programmer');
    expect(trimIsbd(', 1465-1927, facsimiles')).toBe('1465-1927, facsimiles');
    expect(trimFinal('Вып. 13.')).toBe('Вып. 13');
    expect(trimFinal('by Paul Tournier ; translated by John S. Gilmour.')).toBe(
      'by Paul Tournier ; translated by John S. Gilmour',
    );
    expect(trimFinal('Thiruvathukal, George K.')).toBe('Thiruvathukal, George K.');
    expect(trimFinal('2nd ed.')).toBe('2nd ed.');
    expect(trimFinal('Сб.')).toBe('Сб.');
    expect(trimFinal('Erich Gamma ... [et al.].')).toBe('Erich Gamma ... [et al.]');
    expect(trimFinal('Jazz 1951-1960.')).toBe('Jazz 1951-1960');
    expect(trimFinal('Служба занятости...')).toBe('Служба занятости...');
    expect(trimFinal('<<The>> pragmatic  programmer /')).toBe('The pragmatic programmer');
  });
});

describe('material type', () => {
  it('reads leader/06-07 in both families', () => {
    expect(materialType('00000nam a2200000 a 4500', 'MARC21')).toBe('BOOK');
    expect(materialType('00000nas a2200000 a 4500', 'MARC21')).toBe('SERIAL');
    expect(materialType('00000nab a2200000 a 4500', 'MARC21')).toBe('ARTICLE');
    expect(materialType('00000njm a2200000 a 4500', 'MARC21')).toBe('AUDIO');
    expect(materialType('00000ngm a2200000 a 4500', 'MARC21')).toBe('VIDEO');
    expect(materialType('00000nem a2200000 a 4500', 'MARC21')).toBe('MAP');
    expect(materialType('00000ncm a2200000 a 4500', 'MARC21')).toBe('SCORE');
    expect(materialType('00000nmm a2200000 a 4500', 'MARC21')).toBe('E_RESOURCE');
    expect(materialType('00000nkm a2200000 a 4500', 'MARC21')).toBe('OTHER');
    expect(materialType('00000nlm  2200000   450 ', 'RUSMARC')).toBe('E_RESOURCE');
    expect(materialType('00000naa  2200000   450 ', 'RUSMARC')).toBe('ARTICLE');
    expect(materialType('00000nas  2200000   450 ', 'UNIMARC')).toBe('SERIAL');
    expect(materialType('00000nam2 2200000   450 ', 'RUSMARC')).toBe('BOOK');
  });
});

describe('flavour', () => {
  it('decides the family on the title tag before the leader', () => {
    expect(detectFamily('02498nam0 22007213i 4500', ['001', '200', '210'])).toBe('UNIMARC');
    expect(detectFamily('00875nam  2200253 i 450 ', ['001', '245', '260'])).toBe('MARC21');
    expect(detectFamily('00875nam  2200253 i 450 ', ['001', '005'])).toBe('UNIMARC');
    expect(detectFamily('00875nam  2200253 i 4500', ['001', '005'])).toBe('MARC21');
  });

  it('tells RUSMARC from UNIMARC by the content', () => {
    const unimarc = new MarcRecord([
      field('200', '1 ', ['a', 'Greek printing types']),
      field('801', ' 0', ['a', 'FR']),
    ]);
    expect(detectFlavour(unimarc, 'UNIMARC')).toBe('UNIMARC');
    expect(detectFlavour(new MarcRecord([field('801', ' 0', ['a', 'RU'])]), 'UNIMARC')).toBe('RUSMARC');
    expect(detectFlavour(new MarcRecord([field('686', '  ', ['a', '84(2Рос=Рус)6'], ['2', 'rubbk'])]), 'UNIMARC')).toBe(
      'RUSMARC',
    );
    expect(detectFlavour(new MarcRecord([field('200', '1 ', ['a', 'Focus 5'])]), 'UNIMARC')).toBe('UNIMARC');
    expect(detectFlavour(new MarcRecord([field('606', '  ', ['a', 'Английский язык'])]), 'UNIMARC')).toBe('RUSMARC');
    expect(detectFlavour(unimarc, 'MARC21')).toBe('MARC21');
  });
});

describe('normaliseRecord', () => {
  it('flags deleted records, hashes a missing control number and groups holdings', () => {
    const record = new MarcRecord([
      field('200', '1 ', ['a', 'Тест']),
      field('899', '  ', ['a', 'KOUNB'], ['b', 'ЧЗ'], ['j', '84(2Рос)'], ['p', '1001']),
      field('899', '  ', ['a', 'KOUNB'], ['b', 'ЧЗ'], ['j', '84(2Рос)'], ['p', '1002']),
      field('899', '  ', ['a', 'KOUNB'], ['b', 'АБ'], ['j', '84(2Рос)']),
    ]);
    record.leader = '00000dam  2200000   450 ';
    const data = normaliseRecord(record, { flavour: 'RUSMARC', encoding: 'UTF-8', format: 'ISO2709' });
    expect(data.deleted).toBe(true);
    expect(data.controlNumber).toMatch(/^sha1:[0-9a-f]{20}$/);
    expect(data.holdings).toEqual([
      {
        location: 'KOUNB / ЧЗ',
        shelfmark: '84(2Рос)',
        inventoryNumbers: ['1001', '1002'],
        copies: 2,
        availability: 'UNKNOWN',
      },
      { location: 'KOUNB / АБ', shelfmark: '84(2Рос)', inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' },
    ]);
    // The same content gives the same number, whatever the 005 timestamp says.
    const again = new MarcRecord([new MarcControlField('005', '20240101000000.0'), ...record.fields]);
    again.leader = record.leader;
    expect(normaliseRecord(again, { flavour: 'RUSMARC', encoding: 'UTF-8', format: 'ISO2709' }).controlNumber).toBe(
      data.controlNumber,
    );
  });

  it('reads MARC 21 264, 773 host, 830 series, 022 ISSN, 852 with inventory and a 650 chain', () => {
    const record = new MarcRecord([
      new MarcControlField('001', 'm21'),
      new MarcControlField('008', `200101s2019    ru ${' '.repeat(17)}rus d`),
      field('022', '  ', ['a', '0130-9765']),
      field('110', '2 ', ['a', 'Кемеровская областная научная библиотека.'], ['b', 'Отдел краеведения.']),
      field('245', '10', ['a', 'Кузбасс :'], ['b', 'летопись /'], ['c', 'сост. И. И. Иванов.']),
      field('264', ' 1', ['a', 'Кемерово :'], ['b', 'Кузбассвузиздат,'], ['c', '[2019]']),
      field('650', ' 7', ['a', 'Краеведение'], ['z', 'Кемеровская область'], ['v', 'Летописи.']),
      field('773', '0 ', ['t', 'Вестник Кузбасса.'], ['g', 'Т. 3, № 2'], ['w', '(RuKeOUNB)12345']),
      field('830', ' 0', ['a', 'Краеведческая серия ;'], ['v', 'вып. 7.']),
      field(
        '852',
        '  ',
        ['a', 'KOUNB'],
        ['b', 'ОКЛ'],
        ['h', '63.3(2Рос-4Кем)'],
        ['i', 'К89'],
        ['p', '55501'],
        ['p', '55502'],
      ),
    ]);
    record.leader = '00000nab a2200000 i 4500';
    const data = normaliseRecord(record, { flavour: 'MARC21', encoding: 'UTF-8', format: 'MARCXML' });
    expect(data).toMatchObject({
      controlNumber: 'm21',
      title: 'Кузбасс',
      otherTitleInfo: 'летопись',
      statementOfResponsibility: 'сост. И. И. Иванов',
      corporateAuthors: ['Кемеровская областная научная библиотека. Отдел краеведения'],
      place: 'Кемерово',
      publisher: 'Кузбассвузиздат',
      year: 2019,
      issn: '0130-9765',
      languages: ['rus'],
      materialType: 'ARTICLE',
      subjects: ['Краеведение -- Кемеровская область -- Летописи'],
      relations: [
        { kind: 'SERIES', title: 'Краеведческая серия', volume: 'вып. 7', controlNumber: null },
        { kind: 'VOLUME_OF', title: 'Вестник Кузбасса', volume: 'Т. 3, № 2', controlNumber: '(RuKeOUNB)12345' },
      ],
      holdings: [
        {
          location: 'KOUNB / ОКЛ',
          shelfmark: '63.3(2Рос-4Кем) К89',
          inventoryNumbers: ['55501', '55502'],
          copies: 2,
          availability: 'UNKNOWN',
        },
      ],
    });
    expect(data.marcXml).toMatch(
      /^<record xmlns="http:\/\/www\.loc\.gov\/MARC21\/slim">\n {2}<leader>\d{5}nab a22\d{5} i 4500<\/leader>/,
    );
  });
});

describe('IRBIS text exchange', () => {
  it('reads Windows-1251, hashes a record without 903, drops 4-digit tags and maps 910 loans', async () => {
    const text =
      '#920: PAZK\r\n#200: ^AКузбасс^Eфотоальбом\r\n#210: ^AКемерово^CКнижное изд-во^D1987\r\n' +
      '#1119: 7ef4c9af\r\n#675: 908(571.17)\r\n#910: ^A1^B101^DАБ\r\n#910: ^A0^B102^DАБ\r\n#910: ^A1^B103^DЧЗ\r\n*****\r\n';
    const results = await readText(iconv.encode(text, 'win1251'));
    expect(results).toHaveLength(1);
    const [result] = results;
    if (!result?.ok) throw new Error(JSON.stringify(result));
    expect(result.record).toMatchObject({
      title: 'Кузбасс',
      otherTitleInfo: 'фотоальбом',
      place: 'Кемерово',
      publisher: 'Книжное изд-во',
      year: 1987,
      udc: ['908(571.17)'],
      encoding: 'CP1251',
      format: 'IRBIS',
      flavour: 'RUSMARC',
      holdings: [
        { location: 'АБ', shelfmark: null, inventoryNumbers: ['101', '102'], copies: 2, availability: 'AVAILABLE' },
        { location: 'ЧЗ', shelfmark: null, inventoryNumbers: ['103'], copies: 1, availability: 'ON_LOAN' },
      ],
    });
    expect(result.record.controlNumber).toMatch(/^sha1:[0-9a-f]{20}$/);
    expect(result.record.marcXml).not.toContain('1119');
    expect(result.record.marcXml).toContain(`<controlfield tag="001">${result.record.controlNumber}</controlfield>`);
  });

  it('rejects a record with a line that is not a field and reads the next one', async () => {
    const results = await readText('#200: ^AПервая\n*****\n#200: ^AВторая\nне поле\n*****\n#200: ^AТретья\n#903: 3\n');
    expect(results.map((r) => [r.index, r.offset, r.ok])).toEqual([
      [1, 0, true],
      [2, 27, false],
      [3, 68, true],
    ]);
    expect(results[1]).toMatchObject({ reason: 'line 2 of the record is not "#tag: value": "не поле"' });
    expect(results[2]).toMatchObject({ record: { title: 'Третья', controlNumber: '3' } });
  });
});
