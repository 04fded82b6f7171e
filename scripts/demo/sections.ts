import { stableId } from '../../lib/ids';
import type { SectionSeed } from '../../subgraphs/sections/seed';
import { memberId, personId } from './members';

export const sectionId = (key: string): string => stableId(`section:${key}`);

export const sections: SectionSeed[] = [
  {
    id: sectionId('reference'),
    name: 'Секция справочно-библиографического обслуживания',
    description:
      'Методика справочно-библиографического обслуживания, виртуальные справочные службы, библиографические пособия и мобильные сервисы библиографии.',
    establishedOn: '2004-03-15',
    head: { personId: personId('kemrsl-bibliography'), organisationId: memberId('kemrsl'), since: '2012-01-10' },
    members: [
      { memberId: memberId('kemrsl'), role: 'COORDINATOR', joinedOn: '2004-03-15' },
      { memberId: memberId('kemgik'), role: 'MEMBER', joinedOn: '2004-03-15' },
      { memberId: memberId('kemsu'), role: 'MEMBER', joinedOn: '2005-02-01' },
      { memberId: memberId('kem-mibs'), role: 'MEMBER', joinedOn: '2006-09-20' },
      { memberId: memberId('nvkz-cbs'), role: 'MEMBER', joinedOn: '2007-04-12' },
      { memberId: memberId('nsk-onb'), role: 'OBSERVER', joinedOn: '2010-05-18' },
    ],
  },
  {
    id: sectionId('local-history'),
    name: 'Секция краеведческой библиографии',
    description: 'Краеведческие базы данных, сводная краеведческая картотека Кузбасса, календари знаменательных дат.',
    establishedOn: '2006-11-01',
    head: { personId: personId('kemrsl-local-history'), organisationId: memberId('kemrsl'), since: '2015-02-01' },
    members: [
      { memberId: memberId('kemrsl'), role: 'COORDINATOR', joinedOn: '2006-11-01' },
      { memberId: memberId('nvkz-cbs'), role: 'MEMBER', joinedOn: '2007-04-12' },
      { memberId: memberId('lnk-branch5'), role: 'MEMBER', joinedOn: '2012-10-05' },
      { memberId: memberId('tyazhin-mkuk'), role: 'MEMBER', joinedOn: '2014-03-01' },
    ],
  },
  {
    id: sectionId('education'),
    name: 'Секция библиотек образовательных организаций',
    description:
      'Библиотеки вузов, колледжей и школ: информационная грамотность, электронные библиотечные системы, книгообеспеченность.',
    establishedOn: '2008-09-15',
    head: { personId: personId('kemgik-dean'), organisationId: memberId('kemgik'), since: '2008-09-15' },
    members: [
      { memberId: memberId('kemgik'), role: 'COORDINATOR', joinedOn: '2008-09-15' },
      { memberId: memberId('kemsu'), role: 'MEMBER', joinedOn: '2008-09-15' },
      { memberId: memberId('ktags'), role: 'MEMBER', joinedOn: '2013-11-11' },
      { memberId: memberId('kem-lyceum23'), role: 'MEMBER', joinedOn: '2015-09-01' },
      { memberId: memberId('prk-mining'), role: 'MEMBER', joinedOn: '2016-02-24' },
    ],
  },
  {
    id: sectionId('union-catalogue'),
    name: 'Секция сводного каталога и электронных ресурсов',
    description:
      'Корпоративная каталогизация, сводный электронный каталог библиотек Кузбасса, форматы RUSMARC и MARC21, обмен записями.',
    establishedOn: '2010-05-18',
    head: { personId: personId('kemrsl-digital'), organisationId: memberId('kemrsl'), since: '2019-03-01' },
    members: [
      { memberId: memberId('kemrsl'), role: 'COORDINATOR', joinedOn: '2010-05-18' },
      { memberId: memberId('nsk-onb'), role: 'MEMBER', joinedOn: '2010-05-18' },
      { memberId: memberId('kemsu'), role: 'MEMBER', joinedOn: '2011-01-20' },
      { memberId: memberId('sib-bibl-assoc'), role: 'MEMBER', joinedOn: '2018-06-07' },
    ],
  },
];
