import { editionKey, normaliseWords } from './edition-key';
import { record } from '../../test/testkit/catalogue-store';

describe('edition key', () => {
  it('is the first ISBN-13 when the record has one', () => {
    const r = record('1', {
      isbns: [
        { raw: '5-7779-0234-4', isbn13: '9785777902344', qualifier: null },
        { raw: '978-5-00-000000-1 (общ.)', isbn13: '9785000000001', qualifier: '(общ.)' },
      ],
    });
    expect(editionKey(r)).toBe('isbn:9785777902344');
    // An ISBN that could not be read does not count.
    expect(editionKey({ ...r, isbns: [{ raw: 'б. и.', isbn13: null, qualifier: null }, ...r.isbns] })).toBe(
      'isbn:9785777902344',
    );
  });

  it('else title, first author’s surname and year, regardless of case, «ё», punctuation and spacing', () => {
    const a = record('1', {
      title: 'Ёлки  зелёные: повесть',
      authors: [{ name: 'Кудашева, Р. А.', role: null }],
      year: 1941,
    });
    const b = record('2', {
      title: 'ЕЛКИ ЗЕЛЕНЫЕ. Повесть',
      authors: [{ name: 'кудашева р а', role: '070' }],
      year: 1941,
    });
    expect(editionKey(a)).toBe('work:елки зеленые повесть|кудашева|1941');
    expect(editionKey(b)).toBe(editionKey(a));
    expect(editionKey({ ...b, year: 1942 })).not.toBe(editionKey(a));
    expect(editionKey({ ...a, authors: [], year: null })).toBe('work:елки зеленые повесть||');
  });

  it('is null without an ISBN or a title', () => {
    expect(editionKey(record('1', { title: ' — ' }))).toBeNull();
  });

  it('normalises words', () => {
    expect(normaliseWords('  «Кузбасс»—край; ﬁne  ')).toBe('кузбасс край fine');
  });
});
