import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { type CatalogueRecordData, type ReadOptions, type ReadResult } from '../record-data';
import { readRecords } from './read';

const FIXTURES = path.join(__dirname, '../../../../shared/fixtures/marc');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));

async function* chunked(buffer: Buffer, size = buffer.length): AsyncGenerator<Buffer> {
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

async function readAll(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  options?: ReadOptions,
): Promise<ReadResult[]> {
  const results: ReadResult[] = [];
  for await (const result of readRecords(input, options)) results.push(result);
  return results;
}

function records(results: ReadResult[]): CatalogueRecordData[] {
  return results.map((r) => {
    if (!r.ok) throw new Error(`record ${r.index} at ${r.offset} rejected: ${r.reason}`);
    return r.record;
  });
}

/** The fields the brief asks to check on every sampled record. */
function essentials(r: CatalogueRecordData): Partial<CatalogueRecordData> {
  const { controlNumber, title, authors, isbns, year, languages, bbk, udc, holdings } = r;
  return { controlNumber, title, authors, isbns, year, languages, bbk, udc, holdings };
}

const MOJIBAKE = /Ð|Ñ|Ã|â€|\ufffd/;

const FILES: { file: string; count: number; flavour: string; encoding: string; format: string }[] = [
  { file: 'rusmarc-nlr-cp1251.iso', count: 81, flavour: 'RUSMARC', encoding: 'CP1251', format: 'ISO2709' },
  { file: 'irbis-exchange-utf8.txt', count: 3, flavour: 'RUSMARC', encoding: 'UTF-8', format: 'IRBIS' },
  { file: 'marc21-rkp-cp1251.mrc', count: 6, flavour: 'MARC21', encoding: 'CP1251', format: 'ISO2709' },
  { file: 'unimarc-sbn-utf8.mrc', count: 1, flavour: 'UNIMARC', encoding: 'UTF-8', format: 'ISO2709' },
  { file: 'marc21-loc-marc8.mrc', count: 20, flavour: 'MARC21', encoding: 'MARC-8', format: 'ISO2709' },
  { file: 'marc21-utf8-leader-flag.mrc', count: 1, flavour: 'MARC21', encoding: 'UTF-8', format: 'ISO2709' },
  { file: 'marc21-batch.xml', count: 2, flavour: 'MARC21', encoding: 'UTF-8', format: 'MARCXML' },
  { file: 'marc21-utf8.xml', count: 1, flavour: 'MARC21', encoding: 'UTF-8', format: 'MARCXML' },
  { file: 'unimarc-bnf-utf8.mrc', count: 6, flavour: 'UNIMARC', encoding: 'UTF-8', format: 'ISO2709' },
  { file: 'unimarc-bnf-utf8.xml', count: 6, flavour: 'UNIMARC', encoding: 'UTF-8', format: 'MARCXML' },
];

describe('every fixture file', () => {
  it.each(FILES)('$file: $count records, no rejects, $flavour / $encoding / $format', async (f) => {
    const results = await readAll(fs.createReadStream(path.join(FIXTURES, f.file)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: f.count }, (_, i) => i + 1));
    for (const r of records(results)) {
      expect({ flavour: r.flavour, encoding: r.encoding, format: r.format }).toEqual({
        flavour: f.flavour,
        encoding: f.encoding,
        format: f.format,
      });
      expect(r.title).not.toBe('');
      expect(JSON.stringify(r)).not.toMatch(MOJIBAKE);
    }
  });

  it.each(FILES)('$file: the same results read 7 bytes at a time as in one chunk', async (f) => {
    const bytes = fixture(f.file);
    const whole = await readAll(chunked(bytes));
    expect(await readAll(chunked(bytes, 7))).toEqual(whole);
    expect(whole).toHaveLength(f.count);
  });
});

describe('rusmarc-nlr-cp1251.iso (RUSMARC, CP1251)', () => {
  let all: CatalogueRecordData[];
  let results: ReadResult[];
  beforeAll(async () => {
    results = await readAll(chunked(fixture('rusmarc-nlr-cp1251.iso')));
    all = records(results);
  });
  const at = (index: number): CatalogueRecordData => all[index - 1] as CatalogueRecordData;

  it('gives byte offsets of each record', () => {
    expect(results.slice(0, 6).map((r) => r.offset)).toEqual([0, 562, 1167, 1678, 2194, 2702]);
    expect(results[80]?.offset).toBe(77519);
  });

  it('decodes Cyrillic and prefixes a volume title that means nothing alone with its 461 common title', () => {
    expect(essentials(at(1))).toEqual({
      controlNumber: 'RU\\NLR\\bibl\\3415',
      title: 'Задачи и этюды. Вып. 13',
      authors: [],
      isbns: [{ raw: '5-7443-0043-0', isbn13: '9785744300432', qualifier: null }],
      year: 1997,
      languages: ['rus'],
      bbk: [],
      udc: [],
      holdings: [{ location: 'NLR', shelfmark: '97-4/119', inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' }],
    });
    expect(at(1).relations).toEqual([
      { kind: 'VOLUME_OF', title: 'Задачи и этюды', volume: 'Вып. 13', controlNumber: 'RU\\NLR\\bibl\\5996' },
    ]);
    expect(at(1).physicalDescription).toBe('80 с. : ил., портр.');
    expect(at(1).materialType).toBe('BOOK');
  });

  it('reads the multi-part work itself: 200 $e $f, 210, 686 BBK, 702 with relator, 606 subject', () => {
    expect(essentials(at(2))).toEqual({
      controlNumber: 'RU\\NLR\\bibl\\5996',
      title: 'Задачи и этюды',
      authors: [{ name: 'Барсуков, В. Н.', role: '340' }],
      isbns: [],
      year: 1997,
      languages: ['rus'],
      bbk: ['Ч515.815я43'],
      udc: [],
      holdings: [{ location: 'NLR', shelfmark: '97-4/119', inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' }],
    });
    expect(at(2)).toMatchObject({
      otherTitleInfo: 'Сб.',
      statementOfResponsibility: 'Редкол.: В. Н. Барсуков и др.',
      place: 'СПб.',
      publisher: 'Ut',
      subjects: ['Шахматные композиции -- Сборники'],
    });
  });

  it('reads an ISBN-10 ending in a Cyrillic «х» and a 225 series with its number', () => {
    expect(essentials(at(16))).toEqual({
      controlNumber: 'RU\\NLR\\bibl\\204591',
      title: 'Образовательные учреждения: налогообложение и особенности бухгалтерского учета',
      authors: [{ name: 'Донин, Ю. Л.', role: '070' }],
      isbns: [{ raw: '5-900776-31-х', isbn13: '9785900776316', qualifier: null }],
      year: 1998,
      languages: ['rus'],
      bbk: ['У052.9(2)247.48я8', 'У26(2)141.392я8'],
      udc: [],
      holdings: [
        { location: 'NLR', shelfmark: '2000-6/1536', inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' },
      ],
    });
    expect(at(16).relations).toEqual([
      {
        kind: 'SERIES',
        title: 'Библиотечка журнала МКПЦН "Аудит и налогообложение"',
        volume: 'Nш 3(21), 98',
        controlNumber: null,
      },
    ]);
  });

  it('builds a volume title from 200 $a $h $i and merges 899 copies with inventory numbers', () => {
    expect(essentials(at(19))).toEqual({
      controlNumber: 'RU\\NLR\\bibl\\310636',
      title: 'Туризм: история и современность. Т. 2. кн. 4. Народная дипломатия и туризм',
      authors: [],
      isbns: [{ raw: '5-279-02613-1', isbn13: '9785279026135', qualifier: null }],
      year: 2002,
      languages: ['rus'],
      bbk: ['65.433'],
      udc: ['338.48'],
      holdings: [
        {
          location: 'NLR',
          shelfmark: '2002-7/3819',
          inventoryNumbers: ['335323', '335324'],
          copies: 2,
          availability: 'UNKNOWN',
        },
      ],
    });
  });

  it('keeps an ISBN with a bad check digit as given, without an ISBN-13', () => {
    expect(at(36).isbns).toEqual([{ raw: '5-595-03091-1', isbn13: null, qualifier: null }]);
    expect(at(36).holdings).toEqual([
      {
        location: 'NLR / С',
        shelfmark: '2002-3/128',
        inventoryNumbers: ['377735', '377736'],
        copies: 2,
        availability: 'UNKNOWN',
      },
    ]);
  });

  it('reads qualifiers, several BBK and UDC indexes, a 600 subject and holdings in three places', () => {
    expect(essentials(at(38))).toEqual({
      controlNumber: 'RU\\NLR\\bibl\\341048',
      title: 'Мускулы мира',
      authors: [{ name: 'Черчилль, У.', role: '070' }],
      isbns: [{ raw: '5-04-010272-0', isbn13: '9785040102723', qualifier: 'В пер.' }],
      year: 2002,
      languages: ['rus'],
      bbk: ['63.3(4Вел)6', 'Т3(4Вл)6-8'],
      udc: ['94(420)(092)', '929Черчилль'],
      holdings: [
        {
          location: 'NLR',
          shelfmark: '2002-2/5048',
          inventoryNumbers: ['379344', '379345'],
          copies: 2,
          availability: 'UNKNOWN',
        },
        {
          location: 'NLR / С2',
          shelfmark: 'Т3(4Вл)/Ч-508',
          inventoryNumbers: ['448858'],
          copies: 1,
          availability: 'UNKNOWN',
        },
        {
          location: 'NLR / С1',
          shelfmark: 'Т3(4Вл.)/Ч-508',
          inventoryNumbers: ['449239'],
          copies: 1,
          availability: 'UNKNOWN',
        },
      ],
    });
    expect(at(38)).toMatchObject({
      otherTitleInfo: '[Избр. речи разных лет]',
      statementOfResponsibility:
        'Уинстон Черчилль ; [Сост., примеч. Л. Яковлева; Предисл., с. 5-30, пер. и примеч. В. Чухно]',
      place: 'М.',
      publisher: 'ЭКСМО-пресс',
      physicalDescription: '523,[4] с. : ил. ; 17',
      relations: [{ kind: 'SERIES', title: 'Антология мудрости', volume: null, controlNumber: null }],
      subjects: [
        'Черчилль, У. (1874 - 1965)',
        'Государственные и политические деятели Великобритании',
        'Великобритания - Политическая история',
      ],
    });
  });

  it('reads several languages of the text (101 $a) and a corporate body (710 $a $b)', () => {
    expect(at(40).languages).toEqual(['rus', 'per']);
    expect(at(8).corporateAuthors).toEqual(['Российская Федерация. Военные уставы и наставления']);
  });
});

describe('marc21-rkp-cp1251.mrc (Russian MARC 21 in CP1251, leader/09 blank)', () => {
  let all: CatalogueRecordData[];
  beforeAll(async () => {
    all = records(await readAll(fs.createReadStream(path.join(FIXTURES, 'marc21-rkp-cp1251.mrc'))));
  });

  it('detects CP1251 although the leader declares MARC-8, and reads 020/041/080/084/100/245/260/852', () => {
    expect(essentials(all[0] as CatalogueRecordData)).toEqual({
      controlNumber: 'ru03-000001RKP',
      title: 'Основы гидравлического расчета инженерных сетей',
      authors: [{ name: 'Ильина, Татьяна Николаевна', role: null }],
      isbns: [{ raw: '5930933421', isbn13: '9785930933420', qualifier: null }],
      year: 2005,
      languages: ['rus'],
      bbk: ['38.1я73'],
      udc: ['624.01:532.5(075.8)'],
      holdings: [{ location: 'RU-RKP', shelfmark: 'И46', inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' }],
    });
    expect(all[0]).toMatchObject({
      otherTitleInfo:
        '[учеб. пособие для вузов по специальностям <Теплогазоснабжение и вентиляция>, <Водоснабжение и водоотведение>]',
      statementOfResponsibility: 'Т. Н. Ильина',
      place: 'М.',
      publisher: 'Изд-во Ассоц. строит. вузов',
      physicalDescription: '186 с. : ил. ; 21 см.',
      subjects: ['Трубопроводы -- Гидравлический расчет'],
      notes: ['Библиогр.: с. 183'],
    });
  });

  it('reads a 700 with its relator code and a 440 series', () => {
    expect(essentials(all[4] as CatalogueRecordData)).toEqual({
      controlNumber: 'ru03-000005RKP',
      title: 'Мио, мой Мио!',
      authors: [
        { name: 'Линдгрен, Астрид', role: null },
        { name: 'Еклерис, Виталий', role: 'ill' },
      ],
      isbns: [{ raw: '5352012867', isbn13: '9785352012864', qualifier: null }],
      year: 2005,
      languages: ['rus'],
      bbk: ['84(4Шве)-44'],
      udc: ['821.113.6-93'],
      holdings: [{ location: 'RU-RKP', shelfmark: 'Л59', inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' }],
    });
    expect(all[4]?.relations).toEqual([
      { kind: 'SERIES', title: 'Мои любимые книжки', volume: null, controlNumber: null },
    ]);
    expect(all[1]?.publisher).toBe('Питер ; Питер Принт');
  });
});

describe('marc21-loc-marc8.mrc and marc21-utf8-leader-flag.mrc (MARC 21)', () => {
  it('reads the Library of Congress MARC-8 records', async () => {
    const all = records(await readAll(fs.createReadStream(path.join(FIXTURES, 'marc21-loc-marc8.mrc'))));
    expect(essentials(all[0] as CatalogueRecordData)).toEqual({
      controlNumber: '11778504',
      title: 'The pragmatic programmer',
      authors: [
        { name: 'Hunt, Andrew', role: null },
        { name: 'Thomas, David', role: null },
      ],
      isbns: [{ raw: '020161622X', isbn13: '9780201616224', qualifier: null }],
      year: 2000,
      languages: ['eng'],
      bbk: [],
      udc: [],
      holdings: [],
    });
    expect(all[0]).toMatchObject({
      otherTitleInfo: 'from journeyman to master',
      statementOfResponsibility: 'Andrew Hunt, David Thomas',
      place: 'Reading, Mass',
      publisher: 'Addison-Wesley',
      physicalDescription: 'xxiv, 321 p. ; 24 cm.',
      subjects: ['Computer programming'],
    });
    expect(all[6]?.isbns).toEqual([{ raw: '1565926218', isbn13: '9781565926219', qualifier: 'pbk. : alk. paper' }]);
    expect(all[6]?.edition).toBe('1st ed.');
    expect(all[6]?.place).toBe('Beijing ; Sebastopol, CA');
  });

  it('reads the UTF-8 record flagged in leader/09, splitting the run-together 041 codes', async () => {
    const [record] = records(await readAll(chunked(fixture('marc21-utf8-leader-flag.mrc'), 5)));
    expect(essentials(record as CatalogueRecordData)).toEqual({
      controlNumber: '2',
      title: 'Escape from loneliness',
      authors: [{ name: 'Tournier, Paul', role: null }],
      isbns: [],
      year: 1962,
      languages: ['eng', 'und'],
      bbk: [],
      udc: [],
      holdings: [],
    });
    expect(record?.notes).toEqual([
      'Translation of De la solitude à la communauté.',
      'Includes bibliographical references (p. 190-192).',
    ]);
    expect(record?.subjects).toEqual(['Loneliness', 'Self', 'Social psychology', 'Social Isolation']);
  });
});

describe('UNIMARC', () => {
  it('reads the Italian union catalogue record: 410 series links and 40 holding libraries in 899 $1 $2', async () => {
    const [record] = records(await readAll(fs.createReadStream(path.join(FIXTURES, 'unimarc-sbn-utf8.mrc'))));
    expect(essentials(record as CatalogueRecordData)).toMatchObject({
      controlNumber: 'IT\\ICCU\\ANA\\0019370',
      title: "L'altra faccia della spirale",
      authors: [
        { name: 'Asimov, Isaac', role: '070' },
        { name: 'Fruttero, Carlo', role: null },
        { name: 'Lucentini, Franco', role: null },
        { name: 'Scaglia, Cesare', role: null },
      ],
      isbns: [{ raw: '88-04-40682-8', isbn13: '9788804406822', qualifier: null }],
      year: 1996,
      languages: ['ita'],
      bbk: [],
      udc: [],
    });
    expect(record?.relations).toEqual([
      { kind: 'SERIES', title: 'Bestsellers', volume: '641', controlNumber: 'IT\\ICCU\\CFI\\0012751' },
      { kind: 'SERIES', title: 'Il ciclo delle fondazioni', volume: '4', controlNumber: 'IT\\ICCU\\RMS\\1881044' },
    ]);
    expect(record?.holdings).toHaveLength(40);
    // 899$1 is six characters here: marcrecord's all-UNIMARC mode would take it for an embedded field.
    expect(record?.holdings[0]).toEqual({
      location: 'AL0073 / TO0 Q9',
      shelfmark: null,
      inventoryNumbers: [],
      copies: 1,
      availability: 'UNKNOWN',
    });
    expect(record?.holdings[39]?.location).toBe('VI0172 / VIA SB');
  });

  it('reads the BnF records the same from ISO 2709 and from MARCXML', async () => {
    const iso = records(await readAll(fs.createReadStream(path.join(FIXTURES, 'unimarc-bnf-utf8.mrc'))));
    const xml = records(await readAll(fs.createReadStream(path.join(FIXTURES, 'unimarc-bnf-utf8.xml'))));
    // Only the leaders differ: the MARCXML file sets leader/09 to 'a', the ISO 2709 file leaves it blank.
    const comparable = (r: CatalogueRecordData): unknown => ({
      ...r,
      format: null,
      marcXml: r.marcXml.replace(/<leader>.*<\/leader>/, ''),
    });
    expect(xml.map(comparable)).toEqual(iso.map(comparable));
    expect(essentials(iso[5] as CatalogueRecordData)).toEqual({
      controlNumber: 'FRBNF32385266000000X',
      title: 'La gravure en France au XVIe siècle',
      authors: [{ name: 'Lieure, Jules', role: '070' }],
      isbns: [],
      year: 1927,
      languages: ['fre'],
      bbk: [],
      udc: [],
      holdings: [],
    });
    expect(iso[5]?.subjects).toEqual(['Gravure -- France -- 16e siècle', 'Ornements (art) -- France -- 16e siècle']);
    expect(iso[2]?.year).toBe(1900);
    expect(iso[2]?.authors.map((a) => a.name)).toEqual([
      'Claudin, Anatole',
      'Lacombe, Paul',
      'Clément-Janin, Michel-Hilaire',
      'Delisle, Léopold',
    ]);
  });
});

describe('MARCXML', () => {
  it('reads a namespaced collection with offsets of the <marc:record> start tags', async () => {
    const results = await readAll(chunked(fixture('marc21-batch.xml'), 7));
    expect(results.map((r) => r.offset)).toEqual([371, 3126]);
    const [first, second] = records(results);
    expect(essentials(first as CatalogueRecordData)).toEqual({
      controlNumber: '5637241',
      title: 'The Great Ray Charles',
      authors: [{ name: 'Charles, Ray', role: 'prf' }],
      isbns: [],
      year: 1957,
      languages: ['eng'],
      bbk: [],
      udc: [],
      holdings: [],
    });
    expect(first).toMatchObject({
      materialType: 'AUDIO',
      place: 'New York, N.Y.',
      publisher: 'Atlantic',
      physicalDescription: '1 sound disc : analog, 33 1/3 rpm ; 12 in.',
      subjects: ['Jazz -- 1951-1960', 'Piano with jazz ensemble'],
    });
    expect(essentials(second as CatalogueRecordData)).toEqual({
      controlNumber: '12149120',
      title: 'The White House',
      authors: [],
      isbns: [],
      year: 1994,
      languages: ['eng'],
      bbk: [],
      udc: [],
      holdings: [],
    });
    expect(second).toMatchObject({ materialType: 'E_RESOURCE', corporateAuthors: ['White House Web Team'] });
  });

  it('reads a single UTF-8 record', async () => {
    const results = await readAll(fs.createReadStream(path.join(FIXTURES, 'marc21-utf8.xml')));
    expect(results[0]?.offset).toBe(277);
    expect(essentials(records(results)[0] as CatalogueRecordData)).toEqual({
      controlNumber: 'ASP925318/clmu',
      title: 'Zen Classics',
      authors: [],
      isbns: [],
      year: 2008,
      languages: [],
      bbk: [],
      udc: [],
      holdings: [],
    });
    expect(records(results)[0]).toMatchObject({
      publisher: 'Virgin Classics',
      notes: ['Préludes'],
      materialType: 'AUDIO',
    });
  });

  it('reads a lone windows-1251 RUSMARC <record> with a flat 461 link', async () => {
    const xml =
      '<?xml version="1.0" encoding="windows-1251"?>\n' +
      '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:leader>00000nam2 2200000   450 </marc:leader>' +
      '<marc:controlfield tag="001">RU\\KEM\\2</marc:controlfield>' +
      '<marc:datafield tag="200" ind1="0" ind2=" "><marc:subfield code="a">Т. 2</marc:subfield></marc:datafield>' +
      '<marc:datafield tag="461" ind1=" " ind2="0"><marc:subfield code="1">001RU\\KEM\\1</marc:subfield>' +
      '<marc:subfield code="1">2001 </marc:subfield><marc:subfield code="a">Летопись Кузбасса</marc:subfield>' +
      '<marc:subfield code="v">Т. 2</marc:subfield></marc:datafield></marc:record>';
    const bytes = iconv.encode(xml, 'win1251');
    const results = await readAll(chunked(bytes, 3));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      ok: true,
      index: 1,
      offset: xml.indexOf('<marc:record'),
      record: {
        controlNumber: 'RU\\KEM\\2',
        title: 'Летопись Кузбасса. Т. 2',
        relations: [{ kind: 'VOLUME_OF', title: 'Летопись Кузбасса', volume: 'Т. 2', controlNumber: 'RU\\KEM\\1' }],
        flavour: 'RUSMARC',
        encoding: 'CP1251',
        format: 'MARCXML',
      },
    });
  });

  it('rejects a record that breaks MARCXML, goes on, and stops cleanly at malformed XML', async () => {
    const xml = Buffer.from(
      '<collection xmlns="http://www.loc.gov/MARC21/slim">' +
        '<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">ok-1</controlfield>' +
        '<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Первая</subfield></datafield></record>' +
        '<record><controlfield tag="001">no-leader</controlfield></record>' +
        '<record><leader>00000nam a2200000 a 4500</leader><datafield tag="245" ind1="0" ind2="0">' +
        '<subfield code="a">Broken</subfield></datafield><oops></record>' +
        '<record><leader>never read</leader></record></collection>',
    );
    const results = await readAll(chunked(xml, 7));
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ ok: true, index: 1, offset: 51, record: { title: 'Первая' } });
    expect(results[1]).toEqual({
      ok: false,
      index: 2,
      offset: xml.indexOf('<record><controlfield'),
      reason: 'record has no <leader>',
    });
    expect(results[2]).toMatchObject({ ok: false, index: 3, offset: xml.lastIndexOf('<record><leader>00000') });
    expect(results[2]?.ok === false && results[2].reason).toMatch(
      /^malformed XML at line 1, column \d+: Unexpected close tag/,
    );
  });
});

describe('irbis-exchange-utf8.txt (IRBIS text exchange)', () => {
  let all: CatalogueRecordData[];
  let results: ReadResult[];
  beforeAll(async () => {
    results = await readAll(fs.createReadStream(path.join(FIXTURES, 'irbis-exchange-utf8.txt')));
    all = records(results);
  });

  it('reads a volume of a multi-part work: 903 as control number, 961 author, 461 common title, 910 copy', () => {
    expect(results.map((r) => r.offset)).toEqual([0, 759, 1752]);
    expect(essentials(all[0] as CatalogueRecordData)).toEqual({
      controlNumber: '-051259089',
      title: 'Странные люди',
      authors: [{ name: 'Шукшин, В. М.', role: null }],
      isbns: [{ raw: '5-86150-048-7', isbn13: '9785861500487', qualifier: null }],
      year: 1998,
      languages: ['rus'],
      bbk: [],
      udc: [],
      holdings: [
        { location: 'Ф104', shelfmark: null, inventoryNumbers: ['1759089'], copies: 1, availability: 'AVAILABLE' },
      ],
    });
    expect(all[0]?.relations).toEqual([
      { kind: 'VOLUME_OF', title: 'Собрание сочинений : в 6 кн.', volume: 'Кн. 3', controlNumber: null },
    ]);
    expect(all[0]?.subjects).toEqual(['ХУДОЖЕСТВЕННАЯ ЛИТЕРАТУРА (ПРОИЗВЕДЕНИЯ)', 'РУССКАЯ ЛИТЕРАТУРА', 'РАССКАЗЫ']);
  });

  it('reads a newspaper article: 621 BBK, 463 source with issue, 606 with IRBIS subheadings', () => {
    expect(essentials(all[1] as CatalogueRecordData)).toEqual({
      controlNumber: '63.3(2)622/В 26-637115870',
      title: 'Передовые охотники',
      authors: [{ name: 'Ведерников, И.', role: null }],
      isbns: [],
      year: null,
      languages: ['rus'],
      bbk: ['63.3(2)622', '47.1'],
      udc: [],
      holdings: [],
    });
    expect(all[1]).toMatchObject({
      materialType: 'ARTICLE',
      relations: [
        { kind: 'VOLUME_OF', title: 'Восточно-Сибирская правда', volume: '№ 14 (17 янв.)', controlNumber: null },
      ],
      subjects: ['Охотничье хозяйство -- История -- Иркутская область -- 1941-1945'],
      notes: ['Охотники Братского района выполнили план сдачи шкурок разных зверей более, чем на 200 процентов.'],
    });
  });

  it('reads an English book with a Cyrillic subject, five 701 co-authors and a copy of unknown status', () => {
    expect(essentials(all[2] as CatalogueRecordData)).toEqual({
      controlNumber: '-758623986',
      title: 'Focus 5',
      authors: [
        { name: 'Kay, S.', role: null },
        { name: 'Jones, V.', role: null },
        { name: 'Berlis, M.', role: null },
        { name: 'Jones, H.', role: null },
        { name: 'Brayshaw, D', role: null },
        { name: 'Russell, D.', role: null },
      ],
      isbns: [{ raw: '978-1-292-11011-0', isbn13: '9781292110110', qualifier: null }],
      year: 2017,
      languages: ['eng'],
      bbk: [],
      udc: [],
      holdings: [{ location: 'Ф404', shelfmark: null, inventoryNumbers: [], copies: 1, availability: 'UNKNOWN' }],
    });
    expect(all[2]).toMatchObject({
      place: 'Harlow',
      publisher: 'Pearson Education Limited',
      physicalDescription: '149 p.',
    });
  });
});

describe('format, options and streaming', () => {
  it('throws on an unknown forced encoding before reading anything', async () => {
    let pulled = 0;
    async function* input(): AsyncGenerator<Buffer> {
      pulled++;
      yield fixture('marc21-rkp-cp1251.mrc');
    }
    await expect(readAll(input(), { encoding: 'KOI8-R' as never })).rejects.toThrow('Unknown encoding "KOI8-R"');
    expect(pulled).toBe(0);
  });

  it('throws on input that is not one of the three formats', async () => {
    await expect(readAll(chunked(Buffer.from('%PDF-1.4 not a catalogue')))).rejects.toThrow('Cannot tell the format');
  });

  it('yields nothing for empty input', async () => {
    expect(await readAll(chunked(Buffer.alloc(0)))).toEqual([]);
  });

  it('decodes as forced: CP1251 bytes forced to UTF-8 are rejected as invalid UTF-8', async () => {
    const results = await readAll(chunked(fixture('marc21-rkp-cp1251.mrc')), { encoding: 'UTF-8' });
    expect(results.every((r) => !r.ok && /^invalid UTF-8 at byte \d+ of the record$/.test(r.reason))).toBe(true);
  });

  it('pulls input only as far as the consumer reads (backpressure)', async () => {
    const bytes = Buffer.concat(Array.from({ length: 50 }, () => fixture('rusmarc-nlr-cp1251.iso')));
    let pulled = 0;
    async function* input(): AsyncGenerator<Buffer> {
      for (let i = 0; i < bytes.length; i += 4096) {
        pulled++;
        yield bytes.subarray(i, i + 4096);
      }
    }
    const reader = readRecords(input());
    for (let i = 0; i < 10; i++) await reader.next();
    expect(pulled).toBeLessThanOrEqual(3);
    await reader.return(undefined);
    expect(pulled).toBeLessThanOrEqual(3);
  });

  it('measures throughput on ~20k RUSMARC records in memory (in plain Node)', () => {
    // Measured in a child process: inside jest's vm sandbox marcrecord's undeclared loop variables
    // (symbolPos, elementString) become slow global-object lookups and parsing runs ~50 times slower.
    const script = `
      const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
      const fs = require('node:fs');
      require.extensions['.ts'] = (module, filename) => {
        const options = { filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } };
        module._compile(swc.transformSync(fs.readFileSync(filename, 'utf8'), options).code, filename);
      };
      const { readRecords } = require(${JSON.stringify(path.join(__dirname, 'read.ts'))});
      const one = fs.readFileSync(${JSON.stringify(path.join(FIXTURES, 'rusmarc-nlr-cp1251.iso'))});
      const bytes = Buffer.concat(Array.from({ length: 250 }, () => one));
      async function* chunks() { for (let i = 0; i < bytes.length; i += 65536) yield bytes.subarray(i, i + 65536); }
      (async () => {
        const started = process.hrtime.bigint();
        let count = 0;
        for await (const r of readRecords(chunks())) if (r.ok) count++;
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        console.log(JSON.stringify({ count, seconds, perSecond: Math.round(count / seconds) }));
      })();
    `;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    const measured = JSON.parse(output) as { count: number; seconds: number; perSecond: number };
    expect(measured.count).toBe(81 * 250);
    console.log(
      `ISO 2709 RUSMARC CP1251: ${measured.count} records in ${measured.seconds.toFixed(2)} s = ${measured.perSecond} records/s`,
    );
  });
});
