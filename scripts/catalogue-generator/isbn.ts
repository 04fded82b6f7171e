/**
 * ISBNs for synthetic editions: every edition gets a distinct 8-digit body (publisher + title digits)
 * from a bijection, so two editions never share an ISBN by accident, and the check digits are computed
 * as the standard says, so importers can validate them.
 */

const BODY_SPACE = 100_000_000;
// Odd and not a multiple of 5, so multiplying by it permutes [0, 10^8); small enough to stay exact in doubles.
const BODY_MULTIPLIER = 38_561_923;
const BODY_OFFSET = 27_182_818;

/** The check digit of an ISBN-13 from its first 12 digits. */
export function isbn13CheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (first12.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** The check character of an ISBN-10 from its first 9 digits ('X' stands for 10). */
export function isbn10CheckDigit(first9: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (first9.charCodeAt(i) - 48) * (10 - i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** True when `value` (hyphens allowed) is an ISBN-13 with a correct check digit. */
export function isValidIsbn13(value: string): boolean {
  const digits = value.replace(/-/g, '');
  return /^97[89]\d{10}$/.test(digits) && isbn13CheckDigit(digits.slice(0, 12)) === digits[12];
}

/** True when `value` (hyphens allowed) is an ISBN-10 with a correct check character. */
export function isValidIsbn10(value: string): boolean {
  const digits = value.replace(/-/g, '');
  return /^\d{9}[\dX]$/.test(digits) && isbn10CheckDigit(digits.slice(0, 9)) === digits[9];
}

/** Maps a number in [0, 10^8) to a distinct, random-looking 8-digit body (a permutation of the space). */
export function isbnBody(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial >= BODY_SPACE) throw new RangeError(`ISBN serial ${serial}`);
  return String((serial * BODY_MULTIPLIER + BODY_OFFSET) % BODY_SPACE).padStart(8, '0');
}

// Publisher-prefix lengths by the leading digits of the body, after the ranges of registration group 0
// (the groups' real range tables differ in detail; any split gives valid check digits).
function publisherLength(body: string): number {
  const p2 = Number(body.slice(0, 2));
  if (p2 < 20) return 2;
  const p3 = Number(body.slice(0, 3));
  if (p3 < 700) return 3;
  const p4 = Number(body.slice(0, 4));
  if (p4 < 8500) return 4;
  if (p2 < 90) return 5;
  return Number(body.slice(0, 3)) < 950 ? 6 : 7;
}

/** Both hyphenated forms of one ISBN: registration group (one digit) + 8-digit body. */
export function formatIsbn(group: string, body: string): { isbn13: string; isbn10: string } {
  const cut = publisherLength(body);
  const publisher = body.slice(0, cut);
  const title = body.slice(cut);
  const first9 = group + body;
  return {
    isbn13: `978-${group}-${publisher}-${title}-${isbn13CheckDigit(`978${first9}`)}`,
    isbn10: `${group}-${publisher}-${title}-${isbn10CheckDigit(first9)}`,
  };
}

/** Maps a number in [0, 10^8) to an ISSN with a correct check character, e.g. «0869-608X». */
export function formatIssn(serial: number): string {
  const digits = String(serial % 10_000_000).padStart(7, '0');
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (digits.charCodeAt(i) - 48) * (8 - i);
  const check = (11 - (sum % 11)) % 11;
  return `${digits.slice(0, 4)}-${digits.slice(4)}${check === 10 ? 'X' : String(check)}`;
}
