import type { CatalogueRecordData } from './record-data';

/** Longest key kept: titles can run long, and a key only has to tell editions apart. */
const MAX_KEY_LENGTH = 300;

/** Words of a text as compared: NFKC, lower case, «ё» as «е», anything but letters and digits as one space. */
export function normaliseWords(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The key under which the network groups records of one edition held by several libraries: the
 * record's first ISBN-13 (as catalogued: the edition's own ISBN comes before a set's), else its title,
 * first author's surname and year, normalised so that case, «ё», punctuation and spacing do not count.
 * Null when the record has neither an ISBN nor a title.
 */
export function editionKey(record: Pick<CatalogueRecordData, 'isbns' | 'title' | 'authors' | 'year'>): string | null {
  const isbn = record.isbns.find((i) => i.isbn13)?.isbn13;
  if (isbn) return `isbn:${isbn}`;
  const title = normaliseWords(record.title);
  if (!title) return null;
  // «Кудашева, Р. А.» and «Кудашева Р. А.» alike: the surname is what comes before a comma, else the first word.
  const name = record.authors[0]?.name ?? '';
  const surname = (name.includes(',') ? normaliseWords(name.split(',')[0]!) : normaliseWords(name)).split(' ')[0] ?? '';
  return `work:${title}|${surname}|${record.year ?? ''}`.slice(0, MAX_KEY_LENGTH);
}
