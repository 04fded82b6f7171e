import { stableId } from '../../lib/ids';
import { EnquiryStatus, MessageAuthor } from '../../subgraphs/reference/enums';
import type { EnquirySeed } from '../../subgraphs/reference/seed';
import { memberId } from './members';

const id = (key: string): string => stableId(`enquiry:${key}`);
const message = (key: string): string => stableId(`enquiry-message:${key}`);

/** The demo network's reference desk: a handful of enquiries, one or more in every state. */
export const enquiries: EnquirySeed[] = [
  {
    id: id('first-mines'),
    question: 'Где найти сведения о первых шахтах Кемерова и о Копикузе?',
    readerName: 'Соколов Андрей',
    readerContact: 'sokolov@example.org',
    topic: '63.3(2Рос-4Кем)',
    preferredMemberId: memberId('kemrsl'),
    routedMemberIds: [memberId('kemrsl')],
    status: EnquiryStatus.NEW,
    askedAt: '2026-11-30T09:15:00+07:00',
    messages: [],
  },
  {
    id: id('school-project'),
    question: 'Посоветуйте литературу о Новокузнецке для школьного проекта (7 класс).',
    readerName: 'Мельникова Ольга',
    readerContact: '+7 900 000-00-11',
    status: EnquiryStatus.NEW,
    askedAt: '2026-12-01T16:40:00+07:00',
    messages: [],
  },
  {
    id: id('mining-safety'),
    question: 'Нужны нормативные документы по технике безопасности на угольных разрезах, 2015–2020 годы.',
    readerName: 'Кузнецов Павел',
    readerContact: 'kuznetsov@example.org',
    topic: '33.1',
    status: EnquiryStatus.ASSIGNED,
    assignedMemberId: memberId('kemsu'),
    askedAt: '2026-11-28T11:05:00+07:00',
    messages: [
      {
        id: message('mining-safety/taken'),
        author: MessageAuthor.SYSTEM,
        text: 'A library has taken the enquiry.',
        memberId: memberId('kemsu'),
        at: '2026-11-28T12:30:00+07:00',
      },
    ],
  },
  {
    id: id('kuznetsk-chronicle'),
    question: 'Есть ли в библиотеках сети «Кузнецкая летопись» и где её можно прочитать?',
    readerName: 'Белова Ирина',
    readerContact: 'belova@example.org',
    preferredMemberId: memberId('kemrsl'),
    status: EnquiryStatus.ANSWERED,
    assignedMemberId: memberId('kemrsl'),
    askedAt: '2026-11-25T10:00:00+07:00',
    messages: [
      {
        id: message('kuznetsk-chronicle/taken'),
        author: MessageAuthor.SYSTEM,
        text: 'A library has taken the enquiry.',
        memberId: memberId('kemrsl'),
        at: '2026-11-25T10:20:00+07:00',
      },
      {
        id: message('kuznetsk-chronicle/answer'),
        author: MessageAuthor.LIBRARIAN,
        text: 'Издание есть в фонде краеведческой литературы КемОНБ; его можно прочитать в читальном зале или заказать копию.',
        memberId: memberId('kemrsl'),
        at: '2026-11-25T15:45:00+07:00',
      },
    ],
  },
  {
    id: id('bibliography-methods'),
    question: 'Как составить библиографический список к курсовой по ГОСТ Р 7.0.100-2018?',
    readerName: 'Орлов Максим',
    readerContact: 'orlov@example.org',
    status: EnquiryStatus.CLOSED,
    assignedMemberId: memberId('kemgik'),
    askedAt: '2026-11-18T13:00:00+07:00',
    messages: [
      {
        id: message('bibliography-methods/taken'),
        author: MessageAuthor.SYSTEM,
        text: 'A library has taken the enquiry.',
        memberId: memberId('kemgik'),
        at: '2026-11-18T14:10:00+07:00',
      },
      {
        id: message('bibliography-methods/answer'),
        author: MessageAuthor.LIBRARIAN,
        text: 'Образцы описаний по ГОСТ Р 7.0.100-2018 собраны в памятке на сайте библиотеки КемГИК; пришлём её по почте.',
        memberId: memberId('kemgik'),
        at: '2026-11-19T09:30:00+07:00',
      },
      {
        id: message('bibliography-methods/thanks'),
        author: MessageAuthor.READER,
        text: 'Спасибо, получил!',
        at: '2026-11-19T18:00:00+07:00',
      },
      {
        id: message('bibliography-methods/closed'),
        author: MessageAuthor.SYSTEM,
        text: 'The enquiry is closed.',
        at: '2026-11-20T09:00:00+07:00',
      },
    ],
  },
  {
    id: id('homework'),
    question: 'Решите за меня контрольную по физике.',
    readerName: 'Аноним',
    readerContact: 'none@example.org',
    status: EnquiryStatus.REJECTED,
    rejectReason: 'Справочная служба помогает найти источники, но не выполняет учебные задания.',
    askedAt: '2026-11-22T20:00:00+07:00',
    messages: [
      {
        id: message('homework/rejected'),
        author: MessageAuthor.SYSTEM,
        text: 'The enquiry was rejected: Справочная служба помогает найти источники, но не выполняет учебные задания.',
        at: '2026-11-23T09:00:00+07:00',
      },
    ],
  },
];
