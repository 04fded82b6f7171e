/**
 * ISBN normalisation: every written form of an ISBN (ISBN-10 or ISBN-13, with or without hyphens,
 * spaces or an `ISBN` prefix) becomes the 13 digits the catalogue stores and looks up.
 */

// Hyphens and dashes as they appear in records and in what people paste (-, ‐, ‑, ‒, –, —, −).
const SEPARATORS = /[\s\-\u2010-\u2015\u2212]+/g;
// Russian records often write the ISBN-10 check character as the Cyrillic «Х».
const CHECK_X = /[xXхХ]$/;
const PREFIX = /^isbn(?:[\s-]*1[03])?[\s:.]*/i;

function isbn10CheckOk(body: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const c = body[i]!;
    sum += (10 - i) * (c === 'X' ? 10 : Number(c));
  }
  return sum % 11 === 0;
}

function isbn13CheckDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10;
}

/**
 * The ISBN-13 digits of `value` when it is exactly one valid ISBN (ISBN-10 converted to 978-…),
 * optionally prefixed with `ISBN`/`ISBN-13:`; null when it is anything else or a check digit is wrong.
 */
export function normaliseIsbn(value: string): string | null {
  const compact = value.trim().replace(PREFIX, '').replace(SEPARATORS, '').replace(CHECK_X, 'X');
  if (/^\d{9}[\dX]$/.test(compact)) {
    if (!isbn10CheckOk(compact)) return null;
    const first12 = `978${compact.slice(0, 9)}`;
    return `${first12}${isbn13CheckDigit(first12)}`;
  }
  if (/^97[89]\d{10}$/.test(compact)) {
    return isbn13CheckDigit(compact.slice(0, 12)) === Number(compact[12]) ? compact : null;
  }
  return null;
}

/** The ISBN-10 form of an ISBN-13 (only 978-… ISBNs have one); null otherwise. */
export function isbn13To10(isbn13: string): string | null {
  if (!/^978\d{10}$/.test(isbn13)) return null;
  const body = isbn13.slice(3, 12);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(body[i]);
  const check = (11 - (sum % 11)) % 11;
  return `${body}${check === 10 ? 'X' : String(check)}`;
}
