/**
 * Editions: the bibliographic content of a synthetic record, independent of MARC flavour, encoding
 * and the library that holds it. The same seed always gives the same edition, which is what lets
 * several members hold one network-wide edition with identical ISBN, title and year.
 */
import { formatIsbn, formatIssn, isbnBody } from './isbn';
import { hashString, weightedTable, type Random, type WeightedTable } from './prng';
import {
  BIBLIOGRAPHY_NOTE,
  CLASSICS,
  EBS_URLS,
  EDITION_STATEMENTS,
  ENGLISH_FORENAMES,
  ENGLISH_PATTERNS,
  ENGLISH_PUBLISHERS,
  ENGLISH_SURNAMES,
  FEMALE_NAMES,
  FICTION_ADJECTIVES,
  FICTION_BBK,
  FICTION_FORMS,
  FICTION_NOUNS,
  FICTION_TAILS,
  FORMS,
  HANDBOOK_NOUNS,
  ILLUSTRATIONS,
  MALE_NAMES,
  MAP_PUBLISHERS,
  MAPS,
  MULTIPART_SETS,
  PART_TITLES,
  RUSSIAN_PUBLISHERS,
  SERIALS,
  SERIES,
  ENGLISH_SERIES,
  FICTION_ONLY,
  FICTION_PUBLISHERS,
  FICTION_SERIES,
  SUBTITLES,
  SURNAMES,
  TOPICS,
  VOLUME_PREFIXES,
  type PublicationForm,
  type Publisher,
  type Topic,
} from './words';

export type MaterialKind = 'BOOK' | 'SERIAL' | 'E_RESOURCE' | 'AUDIO' | 'MAP';

export type PersonRole = 'author' | 'editor' | 'compiler';

/** A person named in a record: «Иванова, Н. В.» or «Smith, John». */
export interface Person {
  surname: string;
  /** «Н. В.» for Russian names; the forenames for Latin-script names («John A.»). */
  forenames: string;
  /** Full forename and patronymic («Наталья Викторовна», RUSMARC 700 $g), null when not recorded. */
  fullForenames: string | null;
  role: PersonRole;
}

/** The bibliographic content of one edition. */
export interface Edition {
  material: MaterialKind;
  /** ISO 639-2/B codes. */
  languages: string[];
  /** Latin-script (English) description: names and imprint in Latin letters. */
  latin: boolean;
  title: string;
  otherTitleInfo: string | null;
  /** Statement of responsibility split where ISBD puts « ; » (first → 200 $f, rest → $g). */
  responsibility: string[];
  persons: Person[];
  corporateBodies: string[];
  edition: string | null;
  place: string;
  publisher: string;
  /** RUSMARC 102 and MARC21 008/15-17 country codes. */
  country102: string;
  country008: string;
  year: number;
  isbn: string | null;
  /** True when `isbn` is an ISBN-10 (older books). */
  isbn10: boolean;
  isbnQualifier: string | null;
  price: string | null;
  issn: string | null;
  extent: string | null;
  illustrations: string | null;
  dimensions: string | null;
  series: { title: string; number: string | null } | null;
  partOf: { title: string; volume: string } | null;
  subjects: Array<{ heading: string; subdivision: string | null; place: string | null }>;
  bbk: string[];
  udc: string[];
  bibliographyNote: string | null;
  /** Serials: frequency (326 / 310) and the numbering of the bound volume (207 / 362). */
  frequency: string | null;
  numbering: string | null;
  /** Maps: «Масштаб 1:500 000». */
  scale: string | null;
  url: string | null;
  fiction: boolean;
  /** Children's literature (RUSMARC 100 target audience, MARC21 008/22). */
  juvenile: boolean;
}

const MIN_YEAR = 1960;
const MAX_YEAR = 2026;
const MONTHS_GENITIVE = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

const MATERIALS = weightedTable<MaterialKind>([
  ['BOOK', 89],
  ['SERIAL', 2],
  ['E_RESOURCE', 5],
  ['AUDIO', 2],
  ['MAP', 2],
]);
const TOPIC_TABLE = weightedTable(TOPICS.map((t) => [t, t.weight] as const));
const FORM_TABLE = weightedTable(FORMS.map((f) => [f, f.weight] as const));
// Before 1992 there are no post-Soviet institutions, all-Russian conferences or their proceedings.
const SOVIET_FORM_TABLE = weightedTable(FORMS.filter((f) => !f.corporate).map((f) => [f, f.weight] as const));
/** The year the forms and bodies of present-day institutions start. */
const POST_SOVIET = 1992;
const FICTION_FORM_TABLE = weightedTable(FICTION_FORMS.map(([form, udc, weight]) => [{ form, udc }, weight] as const));
const ILLUSTRATION_TABLE = weightedTable(ILLUSTRATIONS);
const TOPIC_BY_KEY = new Map(TOPICS.map((t) => [t.key, t]));

// Weighted publisher tables per (kind, year), built on first use: a publisher is only chosen for years it
// existed, and fiction only from publishers that publish it.
type PublisherKind = 'fiction' | 'non-fiction' | 'english' | 'map';
const PUBLISHER_LISTS: Record<PublisherKind, readonly Publisher[]> = {
  fiction: RUSSIAN_PUBLISHERS.filter((p) => FICTION_PUBLISHERS.has(p.name)),
  'non-fiction': RUSSIAN_PUBLISHERS.filter((p) => !FICTION_ONLY.has(p.name)),
  english: ENGLISH_PUBLISHERS,
  map: MAP_PUBLISHERS,
};
const publisherTables = new Map<string, WeightedTable<Publisher>>();
function publishersFor(kind: PublisherKind, year: number): WeightedTable<Publisher> {
  const key = `${kind}:${year}`;
  let table = publisherTables.get(key);
  if (!table) {
    const list = PUBLISHER_LISTS[kind];
    const active = list.filter((p) => p.from <= year && year <= p.to);
    table = weightedTable((active.length > 0 ? active : list).map((p) => [p, p.weight] as const));
    publisherTables.set(key, table);
  }
  return table;
}

function topic(key: string): Topic {
  return TOPIC_BY_KEY.get(key) ?? TOPICS[0]!;
}

/** Publication years lean to recent ones, as in a living collection: about half are from 2005 on. */
function pickYear(rng: Random, from: number): number {
  const span = MAX_YEAR - from + 1;
  return MAX_YEAR - Math.min(span - 1, Math.floor(span * Math.pow(rng.next(), 1.6)));
}

function feminine(surname: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(surname)) return `${surname}а`;
  if (/(ский|цкий)$/.test(surname)) return `${surname.slice(0, -2)}ая`;
  return surname;
}

function russianPerson(rng: Random, role: PersonRole): Person {
  const female = rng.chance(0.6);
  const surname = rng.pick(SURNAMES);
  const [, fatherStem] = rng.pick(MALE_NAMES);
  const first = female ? rng.pick(FEMALE_NAMES) : rng.pick(MALE_NAMES)[0];
  const patronymic = `${fatherStem}${female ? 'на' : 'ич'}`;
  return {
    surname: female ? feminine(surname) : surname,
    forenames: `${first[0]}. ${patronymic[0]}.`,
    fullForenames: rng.chance(0.4) ? `${first} ${patronymic}` : null,
    role,
  };
}

function englishPerson(rng: Random, role: PersonRole): Person {
  const forename = rng.pick(ENGLISH_FORENAMES);
  const middle = rng.chance(0.3) ? ` ${rng.pick(ENGLISH_FORENAMES)[0]}.` : '';
  return { surname: rng.pick(ENGLISH_SURNAMES), forenames: `${forename}${middle}`, fullForenames: null, role };
}

/** «Н. В. Иванова» / «John Smith»: a name as the statement of responsibility gives it. */
function displayName(person: Person): string {
  return `${person.forenames} ${person.surname}`;
}

function people(rng: Random, latin: boolean, count: number, role: PersonRole): Person[] {
  const list: Person[] = [];
  for (let i = 0; i < count; i++) list.push(latin ? englishPerson(rng, role) : russianPerson(rng, role));
  return list;
}

function authorCount(rng: Random): number {
  const r = rng.next();
  return r < 0.6 ? 1 : r < 0.85 ? 2 : r < 0.96 ? 3 : 4;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function conferenceDate(rng: Random, year: number): string {
  const day = rng.int(1, 27);
  return `(${rng.pick(['Кемерово', 'Новосибирск', 'Новокузнецк', 'Томск'])}, ${day}–${day + 1} ${rng.pick(MONTHS_GENITIVE)} ${year} г.)`;
}

function bbkWithForm(rng: Random, t: Topic, form: PublicationForm | null): string[] {
  const main = rng.pick(t.bbk) + (form?.bbkSuffix ?? '');
  if (!rng.chance(0.2)) return [main];
  const second = rng.pick(t.bbk);
  return main.startsWith(second) ? [main] : [main, second];
}

function subjectsFor(rng: Random, t: Topic): Edition['subjects'] {
  const count = rng.int(1, 3);
  const headings = new Set<string>();
  for (let i = 0; i < count; i++) headings.add(rng.pick(t.subjects));
  return [...headings].map((heading) => ({
    heading,
    subdivision: rng.chance(0.4) ? rng.pick(t.subdivisions) : null,
    place: t.places.length > 0 && rng.chance(0.3) ? rng.pick(t.places) : null,
  }));
}

function pages(rng: Random, min: number, max: number): number {
  return Math.round(Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min))));
}

/** ISBN by period: none before 1990 (Russian) / 1970 (English), ISBN-10 until 2006, ISBN-13 from 2007. */
function isbnFor(rng: Random, serial: number, group: string, year: number, latin: boolean, probability: number) {
  const first = latin ? 1970 : 1990;
  if (year < first || !rng.chance(probability)) return { isbn: null, isbn10: false };
  const { isbn13, isbn10 } = formatIsbn(group, isbnBody(serial));
  return year >= 2007 ? { isbn: isbn13, isbn10: false } : { isbn: isbn10, isbn10: true };
}

function emptyEdition(): Edition {
  return {
    material: 'BOOK',
    languages: ['rus'],
    latin: false,
    title: '',
    otherTitleInfo: null,
    responsibility: [],
    persons: [],
    corporateBodies: [],
    edition: null,
    place: '',
    publisher: '',
    country102: 'RU',
    country008: 'ru ',
    year: MAX_YEAR,
    isbn: null,
    isbn10: false,
    isbnQualifier: null,
    price: null,
    issn: null,
    extent: null,
    illustrations: null,
    dimensions: null,
    series: null,
    partOf: null,
    subjects: [],
    bbk: [],
    udc: [],
    bibliographyNote: null,
    frequency: null,
    numbering: null,
    scale: null,
    url: null,
    fiction: false,
    juvenile: false,
  };
}

function setImprint(edition: Edition, p: Publisher): void {
  // Older Russian rules abbreviate Moscow, St Petersburg and Leningrad; GOST 7.0.100-2018 spells them out.
  edition.place = edition.year >= 2019 ? p.place : p.placeShort;
  edition.publisher = p.name;
  edition.country102 = p.country102;
  edition.country008 = p.country008;
}

function russianNonFiction(rng: Random, edition: Edition, t: Topic): PublicationForm | null {
  const r = rng.next();
  let form: PublicationForm | null = null;
  if (r < 0.1) {
    edition.title = `${rng.pick(HANDBOOK_NOUNS)} ${rng.pick(t.professions)}`;
    edition.otherTitleInfo = rng.chance(0.5) ? rng.pick(['практическое пособие', 'справочное издание']) : null;
  } else {
    const head = rng.pick(t.heads);
    edition.title = rng.chance(0.35) ? `${head} ${rng.pick(t.tails)}` : head;
    const s = rng.next();
    if (s < 0.72) {
      form = rng.weighted(edition.year >= POST_SOVIET ? FORM_TABLE : SOVIET_FORM_TABLE);
      edition.otherTitleInfo = form.text.startsWith('материалы')
        ? `${form.text} ${conferenceDate(rng, edition.year)}`
        : form.text;
    } else if (s < 0.9) {
      edition.otherTitleInfo = rng.pick(SUBTITLES);
    }
  }
  const responsibility = form?.responsibility ?? 'authors';
  const body =
    form?.corporate || (!form && edition.year >= POST_SOVIET && rng.chance(0.05)) ? rng.pick(t.bodies) : null;
  if (body) edition.corporateBodies.push(body);
  if (responsibility === 'authors') {
    edition.persons = people(rng, false, authorCount(rng), 'author');
    const shown = edition.persons.slice(0, 3).map(displayName).join(', ');
    edition.responsibility.push(edition.persons.length > 3 ? `${shown} [и др.]` : shown);
    if (body) edition.responsibility.push(body);
  } else {
    const role: PersonRole = responsibility === 'editor' ? 'editor' : 'compiler';
    edition.persons = people(rng, false, rng.int(1, 2), role);
    const label = role === 'editor' ? 'отв. ред.' : edition.persons.length > 1 ? 'сост.:' : 'сост.';
    if (body) edition.responsibility.push(body);
    edition.responsibility.push(`${label} ${edition.persons.map(displayName).join(', ')}`);
  }
  edition.subjects = subjectsFor(rng, t);
  edition.bbk = bbkWithForm(rng, t, form);
  edition.udc = [rng.pick(t.udc) + (form?.udcSuffix ?? '')];
  return form;
}

function russianFiction(rng: Random, edition: Edition): void {
  edition.fiction = true;
  let udcForm: string;
  if (rng.chance(0.25)) {
    const [title, surname, initials, form, bbk] = rng.pick(CLASSICS);
    edition.title = title;
    edition.otherTitleInfo = form;
    edition.persons = [{ surname, forenames: initials, fullForenames: null, role: 'author' }];
    udcForm = form.includes('стих') || form.includes('поэм') ? '-1' : form.includes('пьес') ? '-2' : '-3';
    edition.bbk = [bbk];
  } else {
    const adjectives = rng.pick(FICTION_ADJECTIVES);
    const noun = rng.pick(FICTION_NOUNS);
    const adjective = adjectives[{ m: 0, f: 1, n: 2, p: 3 }[noun.gender]];
    const r = rng.next();
    edition.title =
      r < 0.55
        ? `${adjective} ${noun.word}`
        : r < 0.8
          ? `${adjective} ${noun.word} ${rng.pick(FICTION_TAILS)}`
          : `${capitalise(noun.word)} ${rng.pick(FICTION_TAILS)}`;
    const { form, udc } = rng.weighted(FICTION_FORM_TABLE);
    edition.otherTitleInfo = form;
    udcForm = udc;
    edition.persons = people(rng, false, 1, 'author');
    edition.bbk = [rng.pick(FICTION_BBK)];
    edition.juvenile = edition.bbk[0]!.endsWith('-44') || form === 'сказки';
  }
  edition.responsibility = [displayName(edition.persons[0]!)];
  edition.udc = [`821.161.1${udcForm}`];
}

function englishBook(rng: Random, edition: Edition, t: Topic): void {
  edition.latin = true;
  edition.languages = ['eng'];
  const full = rng.pick(ENGLISH_PATTERNS).replace('{t}', rng.pick(t.english));
  const colon = full.indexOf(': ');
  edition.title = capitalise(colon > 0 ? full.slice(0, colon) : full);
  edition.otherTitleInfo = colon > 0 ? full.slice(colon + 2) : null;
  const edited = rng.chance(0.2);
  edition.persons = people(rng, true, edited ? rng.int(1, 2) : authorCount(rng), edited ? 'editor' : 'author');
  const names = edition.persons.map(displayName);
  const joined = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}` : names[0]!;
  edition.responsibility = [edited ? `edited by ${joined}` : joined];
  edition.subjects = subjectsFor(rng, t);
  edition.bbk = [rng.pick(t.bbk)];
  edition.udc = [rng.pick(t.udc)];
}

/**
 * Builds the edition that `rng` describes. `isbnSerial` (0 ≤ n < 10^8) picks the ISBN body, so distinct
 * serials never share an ISBN.
 */
export function generateEdition(rng: Random, isbnSerial: number): Edition {
  const edition = emptyEdition();
  const material = rng.weighted(MATERIALS);
  edition.material = material;
  if (material === 'SERIAL') return serialVolume(rng, edition);
  if (material === 'MAP') return map(rng, edition, isbnSerial);

  const latin = (material === 'BOOK' || material === 'E_RESOURCE') && rng.chance(0.1);
  const fiction = !latin && (material === 'AUDIO' ? rng.chance(0.8) : material === 'BOOK' && rng.chance(0.25));
  const t = rng.weighted(TOPIC_TABLE);
  // Foreign-language holdings and electronic or audio editions are recent; so are some subject areas.
  const from = latin ? 1990 : material === 'BOOK' ? MIN_YEAR : 1995;
  edition.year = pickYear(rng, fiction ? from : Math.max(from, t.since ?? MIN_YEAR));
  let form: PublicationForm | null = null;
  if (latin) englishBook(rng, edition, t);
  else if (fiction) russianFiction(rng, edition);
  else form = russianNonFiction(rng, edition, t);
  if (form && /^(материалы|сборник)/.test(form.text) && rng.chance(0.3)) edition.languages = ['rus', 'eng'];

  const publisher = rng.weighted(publishersFor(latin ? 'english' : fiction ? 'fiction' : 'non-fiction', edition.year));
  setImprint(edition, publisher);

  const isbnProbability = material === 'AUDIO' ? 0.3 : material === 'E_RESOURCE' ? 0.6 : form?.corporate ? 0.7 : 0.93;
  Object.assign(edition, isbnFor(rng, isbnSerial, publisher.group, edition.year, latin, isbnProbability));
  if (edition.isbn) {
    if (material === 'BOOK') {
      edition.isbnQualifier = latin ? rng.pick(['pbk.', 'hbk.', null]) : rng.chance(0.3) ? 'в пер.' : null;
    }
    if (material === 'BOOK' && !latin && edition.year >= 1999 && rng.chance(0.4)) {
      edition.price = `${rng.int(6, 150) * 10} р.`;
    }
  }

  if (material === 'BOOK') {
    const count = fiction ? pages(rng, 96, 720) : pages(rng, latin ? 96 : 24, 900);
    edition.extent = latin
      ? `${rng.chance(0.4) ? `${rng.pick(['x', 'xii', 'xiv', 'xvi', 'xx'])}, ` : ''}${count} p.`
      : `${rng.chance(0.1) ? `[${rng.int(1, 4) * 2}], ` : ''}${count} с.`;
    const illustrations = rng.weighted(ILLUSTRATION_TABLE);
    edition.illustrations = latin && illustrations ? 'ill.' : illustrations;
    edition.dimensions = latin ? `${rng.int(22, 25)} cm` : `${rng.pick([17, 20, 20, 21, 21, 21, 22, 24, 29])} см`;
    if (!fiction && count > 60 && rng.chance(0.45)) {
      const to = count - rng.int(0, 3);
      const from = Math.max(1, to - rng.int(2, 12));
      edition.bibliographyNote = latin
        ? `Includes bibliographical references (p. ${from}-${to}) and index`
        : `${BIBLIOGRAPHY_NOTE} ${from}-${to}`;
    }
    if (edition.year >= 1970 && rng.chance(0.06)) {
      edition.edition = latin ? rng.pick(['2nd ed.', '3rd ed.', 'Rev. ed.']) : rng.pick(EDITION_STATEMENTS);
    }
    if (rng.chance(0.05)) {
      const list = latin ? ENGLISH_SERIES : fiction ? FICTION_SERIES : SERIES;
      edition.series = { title: rng.pick(list), number: rng.chance(0.5) ? String(rng.int(1, 120)) : null };
    }
    if (!latin && !fiction && rng.chance(0.03)) multipart(rng, edition);
  } else if (material === 'E_RESOURCE') {
    if (edition.year < 2010) {
      edition.extent = '1 электрон. опт. диск (CD-ROM)';
    } else {
      edition.url = `${rng.pick(EBS_URLS)}${100000 + (isbnSerial % 900000)}`;
    }
  } else {
    const hours = rng.int(2, 30);
    edition.extent =
      edition.year < 2003
        ? `${rng.int(2, 6)} зв. кассеты (${hours * 60} мин)`
        : `1 зв. диск (MP3, ${hours} ч ${rng.int(0, 59)} мин)`;
  }
  return edition;
}

function multipart(rng: Random, edition: Edition): void {
  const [setTitle, topicKey] = rng.pick(MULTIPART_SETS);
  const volume = `${rng.pick(VOLUME_PREFIXES)} ${rng.int(1, 12)}`;
  const t = topic(topicKey);
  edition.partOf = { title: setTitle, volume };
  edition.title = rng.chance(0.6) ? rng.pick(PART_TITLES) : volume;
  edition.otherTitleInfo = null;
  edition.subjects = subjectsFor(rng, t);
  edition.bbk = [rng.pick(t.bbk)];
  edition.udc = [rng.pick(t.udc)];
}

function serialVolume(rng: Random, edition: Edition): Edition {
  const [title, subtitle, frequency, place, topicKey] = rng.pick(SERIALS);
  const t = topic(topicKey);
  edition.year = pickYear(rng, 1975);
  edition.title = title;
  edition.otherTitleInfo = subtitle;
  edition.frequency = frequency;
  edition.numbering = `${edition.year}, № 1–${rng.pick([4, 6, 10, 12, 24])}`;
  edition.place = edition.year < 2019 && place === 'Москва' ? 'М.' : place;
  edition.publisher = `Редакция журнала «${title}»`;
  // One ISSN per title, the same in every library that subscribes.
  edition.issn = formatIssn(hashString(title) % 10_000_000);
  edition.subjects = subjectsFor(rng, t);
  edition.bbk = [rng.pick(t.bbk)];
  edition.udc = [rng.pick(t.udc)];
  return edition;
}

function map(rng: Random, edition: Edition, isbnSerial: number): Edition {
  const [title, kind, scale] = rng.pick(MAPS);
  edition.year = pickYear(rng, MIN_YEAR);
  edition.title = title;
  edition.otherTitleInfo = kind;
  edition.scale = `Масштаб ${scale}`;
  setImprint(edition, rng.weighted(publishersFor('map', edition.year)));
  Object.assign(edition, isbnFor(rng, isbnSerial, '5', edition.year, false, 0.5));
  const atlas = rng.chance(0.2);
  if (atlas) edition.otherTitleInfo = 'атлас';
  edition.extent = atlas ? `1 атл. (${rng.int(12, 64)} с.)` : '1 к.';
  edition.illustrations = 'цв.';
  edition.dimensions = atlas
    ? `${rng.pick([29, 30, 34])} см`
    : `${rng.pick(['60х84', '70х100', '84х108', '42х60'])} см`;
  edition.persons = people(rng, false, 1, 'editor');
  edition.responsibility = [`гл. ред. ${displayName(edition.persons[0]!)}`];
  edition.subjects = [
    { heading: 'Карты', subdivision: null, place: title.includes('Сибир') ? 'Сибирь' : 'Кемеровская область' },
  ];
  edition.bbk = ['26.89(2Рос-4Кем)'];
  edition.udc = ['912(571.17)'];
  return edition;
}
