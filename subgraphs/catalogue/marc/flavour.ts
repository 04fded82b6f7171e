/**
 * MARC 21 vs UNIMARC vs RUSMARC. The structure (family) decides how the record is read: which tags
 * carry the title, whether $1 embeds fields, where the character set is declared. RUSMARC vs UNIMARC
 * only changes a few local conventions (holdings, BBK), so it is decided on the parsed content.
 */
import { type MarcRecord } from 'marcrecord';
import { type MarcFlavour } from '../record-data';
import { dataFields, firstSubfield, textValues } from './record';

/** MARC 21 or the UNIMARC family (UNIMARC, RUSMARC). */
export type MarcFamily = 'MARC21' | 'UNIMARC';

/** The family a flavour belongs to. */
export function familyOf(flavour: MarcFlavour): MarcFamily {
  return flavour === 'MARC21' ? 'MARC21' : 'UNIMARC';
}

const MARC21_TAGS = ['245', '260', '264', '300', '008', '650', '041', '082', '050', '020', '490'];
const UNIMARC_TAGS = ['200', '210', '215', '225', '606', '010', '101', '102', '105', '686', '675', '801'];

/**
 * The family from the tags present: 245 (title in MARC 21) or 200 (title in UNIMARC) decide; without
 * either, the more family-specific tags; the leader ending is the last resort because it lies (the
 * Italian union catalogue writes UNIMARC with MARC 21's '4500').
 */
export function detectFamily(leader: string, tags: Iterable<string>): MarcFamily {
  const present = new Set(tags);
  if (present.has('245') && !present.has('200')) return 'MARC21';
  if (present.has('200') && !present.has('245')) return 'UNIMARC';
  const marc21 = MARC21_TAGS.filter((t) => present.has(t)).length;
  const unimarc = UNIMARC_TAGS.filter((t) => present.has(t)).length;
  if (marc21 !== unimarc) return marc21 > unimarc ? 'MARC21' : 'UNIMARC';
  return leader.slice(20, 24) === '450 ' ? 'UNIMARC' : 'MARC21';
}

const CYRILLIC = /[\u0400-\u04ff]/;

/**
 * RUSMARC when the record says it is Russian: cataloguing agency country RU (801$a), BBK (686$2
 * rubbk…), Russian as the cataloguing language (100$a/22-24), or Cyrillic text anywhere. Otherwise
 * UNIMARC. MARC 21 records stay MARC21.
 */
export function detectFlavour(record: MarcRecord, family: MarcFamily): MarcFlavour {
  if (family === 'MARC21') return 'MARC21';
  if (dataFields(record, '801').some((f) => firstSubfield(f, 'a')?.trim().toUpperCase() === 'RU')) return 'RUSMARC';
  if (dataFields(record, '686').some((f) => /^rubbk/i.test(firstSubfield(f, '2') ?? ''))) return 'RUSMARC';
  const f100 = dataFields(record, '100')[0];
  if (f100 && (firstSubfield(f100, 'a') ?? '').slice(22, 25) === 'rus') return 'RUSMARC';
  for (const text of textValues(record)) if (CYRILLIC.test(text)) return 'RUSMARC';
  return 'UNIMARC';
}
