import { stableId } from '../../lib/ids';
import type { EventSeed } from '../../subgraphs/events/seed';
import { memberId, personId } from './members';
import { sectionId } from './sections';

export const eventId = (key: string): string => stableId(`event:${key}`);
const talkId = (event: string, order: number): string => stableId(`talk:${event}:${order}`);

const speaker = (person: string, organisation: string) => ({
  personId: personId(person),
  organisationId: memberId(organisation),
});

/** The programme of the XII session (2015): 16 talks. */
const session2015Talks: Array<[string, ReturnType<typeof speaker>[]]> = [
  ['Тренд на мобильность: библиография в смартфоне читателя', [speaker('kemrsl-director', 'kemrsl')]],
  ['Перезагрузка библиографии: новые форматы библиографических пособий', [speaker('kemrsl-bibliography', 'kemrsl')]],
  ['Мобильные версии сайтов библиотек Кузбасса: итоги мониторинга', [speaker('kemrsl-digital', 'kemrsl')]],
  [
    'Подготовка библиографов в эпоху мобильных технологий',
    [speaker('kemgik-dean', 'kemgik'), speaker('kemgik-professor', 'kemgik')],
  ],
  ['QR-коды в краеведческих выставках и путеводителях', [speaker('kemrsl-local-history', 'kemrsl')]],
  ['Виртуальная справочная служба вуза: от e-mail к мессенджерам', [speaker('kemsu-head', 'kemsu')]],
  [
    'Библиографическое обслуживание в муниципальной библиотеке: мобильный формат',
    [speaker('kem-mibs-methodist', 'kem-mibs')],
  ],
  ['Краеведческая библиография Новокузнецка онлайн', [speaker('nvkz-bibliographer', 'nvkz-cbs')]],
  ['Сельская библиотека и мобильный читатель', [speaker('tyazhin-director', 'tyazhin-mkuk')]],
  ['Библиотека-филиал как информационный центр микрорайона', [speaker('lnk-librarian', 'lnk-branch5')]],
  ['Информационная грамотность студентов колледжа', [speaker('ktags-librarian', 'ktags')]],
  ['Школьная библиотека: библиографические игры на планшетах', [speaker('lyceum-librarian', 'kem-lyceum23')]],
  ['Опыт НГОНБ: мобильное приложение областной библиотеки', [speaker('nsk-onb-deputy', 'nsk-onb')]],
  ['Стандарты библиографического описания и мобильные интерфейсы', [speaker('sibbic-expert', 'sib-bibl-assoc')]],
  ['Электронные библиографические указатели: создание и продвижение', [speaker('kemgik-professor', 'kemgik')]],
  [
    'Итоги и перспективы: к сводному мобильному каталогу Кузбасса',
    [speaker('kemrsl-digital', 'kemrsl'), speaker('nsk-onb-deputy', 'nsk-onb')],
  ],
];

const registered = [
  ['kemrsl-director', 'kemrsl'],
  ['kemrsl-bibliography', 'kemrsl'],
  ['kemrsl-local-history', 'kemrsl'],
  ['kemrsl-digital', 'kemrsl'],
  ['kemgik-dean', 'kemgik'],
  ['kemgik-professor', 'kemgik'],
  ['kemsu-head', 'kemsu'],
  ['kem-mibs-methodist', 'kem-mibs'],
  ['nvkz-bibliographer', 'nvkz-cbs'],
  ['lnk-librarian', 'lnk-branch5'],
  ['tyazhin-director', 'tyazhin-mkuk'],
  ['ktags-librarian', 'ktags'],
  ['lyceum-librarian', 'kem-lyceum23'],
  ['nsk-onb-deputy', 'nsk-onb'],
  ['sibbic-expert', 'sib-bibl-assoc'],
].map(([person, organisation]) => speaker(person!, organisation!));

export const events: EventSeed[] = [
  {
    id: eventId('session-xii-2015'),
    title: 'XII сессия «Тренд на мобильность: перезагрузка библиографии»',
    description:
      'Ежегодная сессия партнёрства «Кузбасские библиотеки», посвящённая мобильным технологиям в справочно-библиографическом обслуживании.',
    kind: 'CONFERENCE_SESSION',
    format: 'IN_PERSON',
    // 10:00–17:00 in Kemerovo (UTC+7).
    startsAt: '2015-11-10T03:00:00.000Z',
    endsAt: '2015-11-10T10:00:00.000Z',
    hostMemberId: memberId('kemrsl'),
    venueAddress: 'г. Кемерово, ул. Дзержинского, 19, КОНБ им. В. Д. Федорова, конференц-зал',
    organiserMemberIds: [memberId('kemrsl'), memberId('kemgik')],
    organiserSectionIds: [sectionId('reference')],
    talks: session2015Talks.map(([title, speakers], index) => ({
      id: talkId('session-xii-2015', index + 1),
      title,
      order: index + 1,
      speakers,
    })),
    participants: registered,
    resolution:
      'Участники XII сессии рекомендуют: 1) развивать мобильные версии сайтов и электронных каталогов библиотек Кузбасса; ' +
      '2) создавать библиографические пособия в форматах, удобных для смартфонов и планшетов; ' +
      '3) включить вопросы мобильных технологий в программы повышения квалификации библиографов (КемГИК); ' +
      '4) секции справочно-библиографического обслуживания подготовить к следующей сессии обзор мобильных сервисов библиотек региона.',
    // Only 15 of the participants registered through the system; the session's report gives the totals.
    reported: { participants: 143, organisations: 38, talks: 16 },
  },
  {
    id: eventId('webinar-mobile-2016'),
    title: 'Вебинар «Мобильные приложения в справочно-библиографическом обслуживании»',
    kind: 'WEBINAR',
    format: 'ONLINE',
    startsAt: '2016-03-17T04:00:00.000Z',
    endsAt: '2016-03-17T05:30:00.000Z',
    hostMemberId: memberId('kemrsl'),
    onlineUrl: 'https://kemrsl.ru/webinars/2016-03-17',
    organiserMemberIds: [memberId('kemrsl')],
    organiserSectionIds: [sectionId('reference')],
    talks: [
      {
        id: talkId('webinar-mobile-2016', 1),
        title: 'Обзор мобильных приложений библиотек России',
        order: 1,
        speakers: [speaker('kemrsl-digital', 'kemrsl')],
      },
      {
        id: talkId('webinar-mobile-2016', 2),
        title: 'Справочная служба в мессенджерах: первые итоги',
        order: 2,
        speakers: [speaker('kemsu-head', 'kemsu')],
      },
    ],
    participants: [registered[1]!, registered[6]!, registered[7]!, registered[8]!, registered[13]!],
  },
  {
    id: eventId('seminar-local-history-2019'),
    title: 'Семинар «Краеведческая библиография: от картотеки к базе данных»',
    kind: 'SEMINAR',
    format: 'IN_PERSON',
    startsAt: '2019-04-23T03:00:00.000Z',
    endsAt: '2019-04-23T08:00:00.000Z',
    hostMemberId: memberId('nvkz-cbs'),
    venueAddress: 'г. Новокузнецк, ул. Кирова, 71',
    organiserMemberIds: [memberId('nvkz-cbs')],
    organiserSectionIds: [sectionId('local-history')],
    talks: [
      {
        id: talkId('seminar-local-history-2019', 1),
        title: 'Сводная краеведческая картотека Кузбасса',
        order: 1,
        speakers: [speaker('kemrsl-local-history', 'kemrsl')],
      },
      {
        id: talkId('seminar-local-history-2019', 2),
        title: 'Оцифровка краеведческой картотеки Новокузнецка',
        order: 2,
        speakers: [speaker('nvkz-bibliographer', 'nvkz-cbs')],
      },
    ],
    participants: [registered[2]!, registered[8]!, registered[9]!, registered[10]!],
  },
  {
    id: eventId('online-conf-union-catalogue-2025'),
    title: 'Онлайн-конференция «Сводный каталог Кузбасса: RUSMARC, MARC21 и обмен записями»',
    kind: 'ONLINE_CONFERENCE',
    format: 'ONLINE',
    startsAt: '2025-10-14T04:00:00.000Z',
    endsAt: '2025-10-14T09:00:00.000Z',
    hostMemberId: memberId('kemrsl'),
    onlineUrl: 'https://kemrsl.ru/events/union-catalogue-2025',
    organiserMemberIds: [memberId('kemrsl'), memberId('nsk-onb')],
    organiserSectionIds: [sectionId('union-catalogue')],
    talks: [
      {
        id: talkId('online-conf-union-catalogue-2025', 1),
        title: 'Сводный каталог партнёрства: архитектура и узлы библиотек',
        order: 1,
        speakers: [speaker('kemrsl-digital', 'kemrsl')],
      },
      {
        id: talkId('online-conf-union-catalogue-2025', 2),
        title: 'Экспорт из ИРБИС64 в ISO 2709: кодировки и подводные камни',
        order: 2,
        speakers: [speaker('nsk-onb-deputy', 'nsk-onb')],
      },
      {
        id: talkId('online-conf-union-catalogue-2025', 3),
        title: 'RUSMARC и MARC21: сопоставление полей',
        order: 3,
        speakers: [speaker('sibbic-expert', 'sib-bibl-assoc')],
      },
    ],
    participants: [registered[3]!, registered[6]!, registered[13]!, registered[14]!, registered[11]!],
  },
  {
    id: eventId('webinar-irbis-import-2026'),
    title: 'Вебинар «Импорт каталога из ИРБИС64 в сеть „Кузбасские библиотеки“»',
    kind: 'WEBINAR',
    format: 'ONLINE',
    startsAt: '2026-12-10T05:00:00.000Z',
    endsAt: '2026-12-10T06:30:00.000Z',
    hostMemberId: memberId('kemrsl'),
    onlineUrl: 'https://kemrsl.ru/webinars/2026-12-10',
    organiserMemberIds: [memberId('kemrsl')],
    organiserSectionIds: [sectionId('union-catalogue')],
    talks: [
      {
        id: talkId('webinar-irbis-import-2026', 1),
        title: 'Свой узел каталога: установка, импорт, расписание обновлений',
        order: 1,
        speakers: [speaker('kemrsl-digital', 'kemrsl')],
      },
    ],
    participants: [registered[9]!, registered[10]!],
  },
  {
    id: eventId('school-bibliographer-2027'),
    title: 'Школа библиографа — 2027',
    kind: 'TRAINING',
    format: 'HYBRID',
    startsAt: '2027-02-16T03:00:00.000Z',
    endsAt: '2027-02-18T09:00:00.000Z',
    hostMemberId: memberId('kemgik'),
    venueAddress: 'г. Кемерово, ул. Ворошилова, 17, КемГИК',
    onlineUrl: 'https://kemgik.ru/school-bibliographer-2027',
    organiserMemberIds: [memberId('kemgik'), memberId('kemrsl')],
    organiserSectionIds: [sectionId('reference'), sectionId('education')],
    talks: [],
    participants: [],
  },
];
