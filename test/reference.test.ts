import { enquiries } from '../scripts/demo';
import { memberId } from '../scripts/demo/members';
import { sectionId } from '../scripts/demo/sections';
import { routeEnquiry } from '../subgraphs/reference/routing';
import { configureReferenceSection } from '../subgraphs/reference/section-members';
import { deadUrl, startFaultProxy } from './testkit/fault-proxy';
import { TEST_INTERNAL_SECRET } from './testkit/identity';
import { graphql, graphqlOk } from './testkit/graphql';
import { startGateway } from '../gateway';
import { createLogger } from '../lib/logger';
import { startTestNetwork, testGatewayConfig, type TestNetwork } from './testkit/network';

/*
 * The virtual reference desk through the gateway, the way readers and librarians come: a reader asks
 * anonymously and follows the enquiry by its secret token; libraries see their queue, take, pass on,
 * answer, close and reject; the reader's personal data reaches only the library working on it,
 * coordinators and the reader.
 */

let network: TestNetwork;
let url: string;
const as: Record<'anonymous' | 'kemrsl' | 'kemgik' | 'coordinator', Record<string, string>> = {
  anonymous: {},
  kemrsl: {},
  kemgik: {},
  coordinator: {},
};
const KEMRSL = memberId('kemrsl');
const KEMGIK = memberId('kemgik');

beforeAll(async () => {
  network = await startTestNetwork('reference');
  url = network.gateway.url;
  as.coordinator = network.coordinator;
  as.kemrsl = await network.credential({ role: 'EDITOR', memberCode: 'kemrsl', label: 'kemrsl bibliographer' });
  as.kemgik = await network.credential({ role: 'EDITOR', memberCode: 'kemgik', label: 'kemgik bibliographer' });
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

const ASK = `mutation($input: AskQuestionInput!) {
  askReferenceQuestion(input: $input) { readerToken enquiry { id status readerName routedTo { id } } }
}`;
const FOLLOW = `query($t: String!) { readerEnquiry(token: $t) {
  id status readerName readerContact answeredAt firstResponseAt
  messages { author text library { code } } linkedRecords { id } assignedTo { code name }
} }`;
const ENQUIRY = `query($id: ID!) { enquiry(id: $id) { status readerName readerContact assignedTo { code } overdue } }`;
const QUEUE = `query($m: ID!) { referenceQueue(memberId: $m) { id status } }`;

type Asked = { askReferenceQuestion: { readerToken: string; enquiry: { id: string; status: string } } };

async function ask(input: Record<string, unknown>) {
  const question = {
    question: 'Какие книги о шахтёрах Кузбасса вышли после 2000 года?',
    readerName: 'Иванова Мария',
    readerContact: 'maria@example.org',
    ...input,
  };
  return (await graphqlOk<Asked>(url, ASK, { input: question })).askReferenceQuestion;
}

const codeOf = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => result.errors?.[0]?.extensions;

describe('the virtual reference desk', () => {
  it('takes a question from anyone and gives the reader, and only the reader, a way back to it', async () => {
    const asked = await ask({ preferredLibraryId: KEMRSL, topic: '63.3(2Рос-4Кем)' });
    expect(asked.readerToken).toMatch(/^kbgr_[\w-]{32}$/);
    expect(asked.enquiry).toMatchObject({ status: 'NEW' });
    const { readerEnquiry } = await graphqlOk(url, FOLLOW, { t: asked.readerToken });
    expect(readerEnquiry).toMatchObject({
      id: asked.enquiry.id,
      status: 'NEW',
      readerName: 'Иванова Мария',
      readerContact: 'maria@example.org',
      messages: [{ author: 'READER', text: 'Какие книги о шахтёрах Кузбасса вышли после 2000 года?', library: null }],
    });
    // A wrong token finds nothing; the id alone gives an anonymous caller nothing.
    expect((await graphqlOk(url, FOLLOW, { t: `${asked.readerToken}x` })).readerEnquiry).toBeNull();
    expect(codeOf(await graphql(url, ENQUIRY, { id: asked.enquiry.id }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses bad input with the field named, and questions with the honeypot filled in', async () => {
    const refused = async (input: Record<string, unknown>) =>
      codeOf(
        await graphql(url, ASK, {
          input: { question: 'Вопрос', readerName: 'Читатель', readerContact: 'reader@example.org', ...input },
        }),
      );
    expect(await refused({ website: 'http://spam.example' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.website',
    });
    expect(await refused({ question: 'я'.repeat(4001) })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.question',
    });
    expect(await refused({ readerName: '   ' })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.readerName' });
    expect(await refused({ preferredLibraryId: 'kemrsl' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.preferredLibraryId',
    });
    // Stored as text: markup comes back as the reader wrote it, for pages to show as text.
    const asked = await ask({ question: '<img src=x onerror=alert(1)> Где найти «Кузнецкую летопись»?' });
    const { readerEnquiry } = await graphqlOk(url, FOLLOW, { t: asked.readerToken });
    expect(readerEnquiry.messages[0].text).toBe('<img src=x onerror=alert(1)> Где найти «Кузнецкую летопись»?');
  });

  it('routes to the library chosen, else by declared topics, else to the network queue', async () => {
    expect(
      (
        await graphqlOk(
          url,
          'mutation($m: ID!) { declareReferenceTopics(memberId: $m, topics: ["63.3(2Рос-4Кем)", "26.8"]) }',
          { m: KEMGIK },
          as.kemgik,
        )
      ).declareReferenceTopics,
    ).toEqual(['26.8', '63.3(2Рос-4Кем)']);
    expect(
      (await graphqlOk(url, 'query($m: ID!) { referenceTopics(memberId: $m) }', { m: KEMGIK })).referenceTopics,
    ).toEqual(['26.8', '63.3(2Рос-4Кем)']);
    const chosen = await ask({ preferredLibraryId: KEMRSL, topic: '63.3(2Рос-4Кем)' });
    const byTopic = await ask({ topic: '63.3 (2рос-4кем)6' });
    const network = await ask({ topic: '84(2Рос=Рус)6' });
    const routed = async (id: string) =>
      (await graphqlOk(url, 'query($id: ID!) { enquiry(id: $id) { routedTo { code } } }', { id }, as.coordinator))
        .enquiry.routedTo;
    expect(await routed(chosen.enquiry.id)).toEqual([{ code: 'kemrsl' }]);
    expect(await routed(byTopic.enquiry.id)).toEqual([{ code: 'kemgik' }]);
    expect(await routed(network.enquiry.id)).toEqual([]);
    const queue = async (member: string, headers: Record<string, string>) =>
      ((await graphqlOk(url, QUEUE, { m: member }, headers)).referenceQueue as Array<{ id: string }>).map((e) => e.id);
    const kemrsl = await queue(KEMRSL, as.kemrsl);
    const kemgik = await queue(KEMGIK, as.kemgik);
    expect(kemrsl).toEqual(expect.arrayContaining([chosen.enquiry.id, network.enquiry.id]));
    expect(kemrsl).not.toContain(byTopic.enquiry.id);
    expect(kemgik).toEqual(expect.arrayContaining([byTopic.enquiry.id, network.enquiry.id]));
    expect(kemgik).not.toContain(chosen.enquiry.id);
    // A library's desk is its own.
    expect(codeOf(await graphql(url, QUEUE, { m: KEMRSL }, as.kemgik))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await graphql(url, QUEUE, { m: KEMRSL }))).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets the library take, answer and close, shows the reader the answer, and the reader’s data only to that library', async () => {
    const asked = await ask({ preferredLibraryId: KEMRSL });
    const id = asked.enquiry.id;
    const enquiry = async (headers: Record<string, string>) => (await graphqlOk(url, ENQUIRY, { id }, headers)).enquiry;
    // Not yet taken: no library sees who asked; coordinators do.
    expect(await enquiry(as.kemrsl)).toMatchObject({ status: 'NEW', readerName: null, readerContact: null });
    expect(await enquiry(as.coordinator)).toMatchObject({ readerName: 'Иванова Мария' });

    const take = 'mutation($id: ID!, $m: ID!) { takeEnquiry(id: $id, memberId: $m) { status assignedTo { code } } }';
    // Another library cannot take an enquiry routed to kemrsl, nor take it in kemrsl's name.
    expect(codeOf(await graphql(url, take, { id, m: KEMGIK }, as.kemgik))).toMatchObject({ code: 'FORBIDDEN' });
    expect(codeOf(await graphql(url, take, { id, m: KEMRSL }, as.kemgik))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await graphqlOk(url, take, { id, m: KEMRSL }, as.kemrsl)).takeEnquiry).toEqual({
      status: 'ASSIGNED',
      assignedTo: { code: 'kemrsl' },
    });
    expect(codeOf(await graphql(url, take, { id, m: KEMRSL }, as.kemrsl))).toMatchObject({ code: 'CONFLICT' });
    expect(await enquiry(as.kemrsl)).toMatchObject({ readerName: 'Иванова Мария', readerContact: 'maria@example.org' });
    expect(await enquiry(as.kemgik)).toMatchObject({ readerName: null, readerContact: null });

    const close = 'mutation($id: ID!) { closeEnquiry(id: $id) { status } }';
    expect(codeOf(await graphql(url, close, { id }, as.kemrsl))).toMatchObject({ code: 'CONFLICT' });
    const answer = `mutation($id: ID!, $text: String!, $r: [ID!]) {
      answerEnquiry(id: $id, text: $text, recordIds: $r) { status linkedRecords { id } }
    }`;
    const text = 'В фонде КемОНБ: «Шахтёрская слава Кузбасса» (2005), см. также каталог.';
    expect(codeOf(await graphql(url, answer, { id, text }, as.kemgik))).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      (await graphqlOk(url, answer, { id, text, r: ['kemrsl:000123', 'kemrsl:000123'] }, as.kemrsl)).answerEnquiry,
    ).toEqual({ status: 'ANSWERED', linkedRecords: [{ id: 'kemrsl:000123' }] });

    const followed = (await graphqlOk(url, FOLLOW, { t: asked.readerToken })).readerEnquiry;
    expect(followed).toMatchObject({ status: 'ANSWERED', assignedTo: { code: 'kemrsl', name: expect.any(String) } });
    // Taking it was the library's first response, answering it came after.
    expect(Date.parse(followed.firstResponseAt)).toBeLessThanOrEqual(Date.parse(followed.answeredAt));
    expect(followed.messages.map((m: { author: string }) => m.author)).toEqual(['READER', 'SYSTEM', 'LIBRARIAN']);
    expect(followed.messages[2]).toEqual({ author: 'LIBRARIAN', text, library: { code: 'kemrsl' } });

    // The reader writes back: the conversation is open again with the same library.
    const reply = 'mutation($t: String!, $text: String!) { replyToEnquiry(token: $t, text: $text) { status } }';
    expect(
      (await graphqlOk(url, reply, { t: asked.readerToken, text: 'Спасибо! А есть ли электронная версия?' }))
        .replyToEnquiry,
    ).toEqual({ status: 'ASSIGNED' });
    await graphqlOk(url, answer, { id, text: 'Да, в электронной библиотеке КемОНБ.' }, as.kemrsl);
    expect((await graphqlOk(url, close, { id }, as.kemrsl)).closeEnquiry).toEqual({ status: 'CLOSED' });
    expect(codeOf(await graphql(url, reply, { t: asked.readerToken, text: 'Ещё вопрос' }))).toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('passes an enquiry on to another library and rejects one with a reason', async () => {
    const asked = await ask({ preferredLibraryId: KEMRSL });
    const id = asked.enquiry.id;
    const pass = `mutation($id: ID!, $to: ID!) {
      passEnquiry(id: $id, toMemberId: $to, note: "По горному делу лучше ответит КузГТУ") { status routedTo { code } }
    }`;
    expect(codeOf(await graphql(url, pass, { id, to: KEMGIK }, as.kemgik))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await graphqlOk(url, pass, { id, to: KEMGIK }, as.kemrsl)).passEnquiry).toEqual({
      status: 'NEW',
      routedTo: [{ code: 'kemgik' }],
    });
    const reject = 'mutation($id: ID!, $r: String!) { rejectEnquiry(id: $id, reason: $r) { status } }';
    expect(codeOf(await graphql(url, reject, { id, r: 'Вне нашей компетенции' }, as.kemrsl))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      (await graphqlOk(url, reject, { id, r: 'Вопрос повторяет уже отвеченный' }, as.kemgik)).rejectEnquiry,
    ).toEqual({ status: 'REJECTED' });
    const followed = (await graphqlOk(url, FOLLOW, { t: asked.readerToken })).readerEnquiry;
    expect(followed.status).toBe('REJECTED');
    expect(followed.messages.at(-1)).toMatchObject({
      author: 'SYSTEM',
      text: 'The enquiry was rejected: Вопрос повторяет уже отвеченный',
    });
  });

  it('keeps the reader’s name and contact out of the audit log', async () => {
    await ask({ readerName: 'Секретова Анна', readerContact: '+7 900 000-00-01' });
    // The gateway writes audit entries after answering: wait for this one.
    let auditLog: unknown[] = [];
    for (let i = 0; i < 50 && !auditLog.length; i++) {
      ({ auditLog } = await graphqlOk(
        url,
        '{ auditLog(operation: "askReferenceQuestion", first: 100) { arguments outcome } }',
        {},
        as.coordinator,
      ));
      if (!auditLog.length) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(auditLog.length).toBeGreaterThan(0);
    const logged = JSON.stringify(auditLog);
    expect(logged).toContain('[redacted]');
    expect(logged).not.toContain('Секретова');
    expect(logged).not.toContain('+7 900 000-00-01');
  });
});

describe('anonymous questions', () => {
  it('are limited per client address and hour, with Retry-After; a librarian with a key is not counted', async () => {
    const gateway = await startGateway(
      testGatewayConfig(network.subgraphs, {
        rateLimits: {
          ...testGatewayConfig(network.subgraphs).rateLimits,
          anonymousAsksPerHour: 2,
          keyPrefix: `t-${Date.now()}`,
        },
      }),
      { logger: createLogger('gateway', 'silent') },
    );
    try {
      const input = { question: 'Вопрос', readerName: 'Читатель', readerContact: 'reader@example.org' };
      const post = (query: string, headers: Record<string, string> = {}) =>
        fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, variables: { input } }),
        });
      const one = 'mutation($input: AskQuestionInput!) { askReferenceQuestion(input: $input) { readerToken } }';
      const two =
        'mutation($input: AskQuestionInput!) { a: askReferenceQuestion(input: $input) { readerToken } b: askReferenceQuestion(input: $input) { readerToken } }';
      expect((await post(one)).status).toBe(200);
      // Two more in one request are over the limit of two: refused whole, nothing asked.
      const refused = await post(two);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        ((await refused.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code,
      ).toBe('RATE_LIMITED');
      expect((await post(one)).status).toBe(200);
      expect((await post(one)).status).toBe(429);
      // Reading is not asking; a key holder's questions are not counted.
      const read = await post('query { referenceTopics(memberId: "75ca8949-35be-50a5-ab95-3f4b6a05bfa1") }');
      expect(read.status).toBe(200);
      expect((await post(one, as.kemrsl)).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  });
});

describe('the demo network', () => {
  it('has enquiries in every state, with their conversations', async () => {
    const seen = await Promise.all(
      enquiries.map(
        async (e) =>
          (
            await graphqlOk(
              url,
              'query($id: ID!) { enquiry(id: $id) { status messages { author } } }',
              { id: e.id },
              as.coordinator,
            )
          ).enquiry as { status: string; messages: Array<{ author: string }> },
      ),
    );
    expect(new Set(seen.map((e) => e.status))).toEqual(new Set(['NEW', 'ASSIGNED', 'ANSWERED', 'CLOSED', 'REJECTED']));
    seen.forEach((e, i) => expect(e.messages.length).toBe(enquiries[i]!.messages.length + 1));
    expect(seen.every((e) => e.messages[0]!.author === 'READER')).toBe(true);
  });
});

describe('the archive of answers', () => {
  it('publishes an answered enquiry without the reader, for everyone to find by any word form', async () => {
    const asked = await ask({
      preferredLibraryId: KEMRSL,
      question: 'Меня зовут Иванова Мария. Какие воспоминания шахтёров Прокопьевска изданы?',
      topic: '63.3(2Рос-4Кем)',
    });
    const id = asked.enquiry.id;
    const publish = `mutation($id: ID!, $q: String) {
      publishEnquiryAnswer(id: $id, question: $q) { question answer topic library { code } linkedRecords { id } }
    }`;
    // Not answered yet: nothing to publish.
    await graphqlOk(
      url,
      'mutation($id: ID!, $m: ID!) { takeEnquiry(id: $id, memberId: $m) { id } }',
      { id, m: KEMRSL },
      as.kemrsl,
    );
    expect(codeOf(await graphql(url, publish, { id }, as.kemrsl))).toMatchObject({ code: 'CONFLICT' });
    await graphqlOk(
      url,
      'mutation($id: ID!) { answerEnquiry(id: $id, text: "Сборник «Шахтёрская доблесть» (2010) в фонде КемОНБ.", recordIds: ["kemrsl:000777"]) { id } }',
      { id },
      as.kemrsl,
    );
    expect(codeOf(await graphql(url, publish, { id }, as.kemgik))).toMatchObject({ code: 'FORBIDDEN' });
    // The library leaves the reader's name out of the published question.
    const question = 'Какие воспоминания шахтёров Прокопьевска изданы?';
    expect((await graphqlOk(url, publish, { id, q: question }, as.kemrsl)).publishEnquiryAnswer).toEqual({
      question,
      answer: 'Сборник «Шахтёрская доблесть» (2010) в фонде КемОНБ.',
      topic: '63.3(2Рос-4Кем)',
      library: { code: 'kemrsl' },
      linkedRecords: [{ id: 'kemrsl:000777' }],
    });
    const search = async (query: string | null) =>
      (
        (await graphqlOk(url, 'query($q: String) { referenceArchive(query: $q) { question answer } }', { q: query }))
          .referenceArchive as Array<{ question: string }>
      ).map((a) => a.question);
    // Another form of the words finds it; anonymous readers search too; the reader is nowhere in it.
    expect(await search('шахтёрские воспоминания')).toContain(question);
    expect(await search('Прокопьевск')).toContain(question);
    expect(await search('балет')).not.toContain(question);
    expect((await search(null))[0]).toBe(question);
    expect(JSON.stringify(await search('шахтёры'))).not.toContain('Иванова');
    // Publishing again replaces the entry.
    await graphqlOk(url, publish, { id, q: 'Изданы ли воспоминания шахтёров Прокопьевска?' }, as.kemrsl);
    expect(await search('Прокопьевск')).toEqual(
      expect.arrayContaining(['Изданы ли воспоминания шахтёров Прокопьевска?']),
    );
    expect(await search('Прокопьевск')).not.toContain(question);
  });
});

describe('statistics for coordinators', () => {
  const STATISTICS = `query($filter: StatisticsFilter) { networkStatistics(filter: $filter) { reference {
    enquiries byStatus { key count } byMonth { key count } byTopic { key count }
    byLibrary { library { code } enquiries answered }
    timeToFirstResponse { count medianHours p90Hours } timeToAnswer { count medianHours p90Hours }
    answeredWithinTarget
  } } }`;

  it('count the demo desk of November 2026: states, months, topics, libraries, response times', async () => {
    // The demo enquiries asked in November (the tests' own are asked today, outside the period).
    const { networkStatistics } = await graphqlOk(
      url,
      STATISTICS,
      { filter: { from: '2026-11-01', to: '2026-11-30' } },
      as.coordinator,
    );
    const r = networkStatistics.reference;
    expect(r.enquiries).toBe(5);
    expect(new Map(r.byStatus.map((c: { key: string; count: number }) => [c.key, c.count]))).toEqual(
      new Map([
        ['ANSWERED', 1],
        ['ASSIGNED', 1],
        ['CLOSED', 1],
        ['NEW', 1],
        ['REJECTED', 1],
      ]),
    );
    expect(r.byMonth).toEqual([{ key: '2026-11', count: 5 }]);
    expect(r.byTopic).toEqual([
      { key: 'none', count: 3 },
      { key: '33', count: 1 },
      { key: '63', count: 1 },
    ]);
    expect(r.byLibrary).toHaveLength(3);
    expect(r.byLibrary).toEqual(
      expect.arrayContaining([
        { library: { code: 'kemrsl' }, enquiries: 1, answered: 1 },
        { library: { code: 'kemgik' }, enquiries: 1, answered: 1 },
        { library: { code: 'kemsu' }, enquiries: 1, answered: 0 },
      ]),
    );
    // Taken after 20 min, 70 min and 85 min; answered after 5 h 45 min and 20 h 30 min (scripts/demo/reference.ts).
    expect(r.timeToFirstResponse).toEqual({ count: 3, medianHours: 1.2, p90Hours: 1.4 });
    expect(r.timeToAnswer).toEqual({ count: 2, medianHours: 5.8, p90Hours: 20.5 });
    // Two of the four not rejected were answered within 48 hours.
    expect(r.answeredWithinTarget).toBe(0.5);
  });

  it('count for a member the enquiries it took and those waiting in its queue', async () => {
    const { networkStatistics } = await graphqlOk(
      url,
      STATISTICS,
      { filter: { from: '2026-11-01', to: '2026-11-30', members: [KEMRSL] } },
      as.coordinator,
    );
    expect(networkStatistics.reference).toMatchObject({
      enquiries: 2,
      byLibrary: [{ library: { code: 'kemrsl' }, enquiries: 1, answered: 1 }],
    });
  });
});

describe('routing', () => {
  const topics = [
    { memberId: 'b', bbkPrefix: '63.3' },
    { memberId: 'a', bbkPrefix: '63.3(2Рос-4Кем)' },
    { memberId: 'c', bbkPrefix: '84' },
  ];
  it('sends a chosen library its enquiry whatever the topic, else every library whose class the topic falls under', () => {
    expect(routeEnquiry({ preferredMemberId: 'x', topic: '84' }, topics)).toEqual(['x']);
    expect(routeEnquiry({ preferredMemberId: null, topic: '63.3 (2рос-4кем)' }, topics)).toEqual(['a', 'b']);
    expect(routeEnquiry({ preferredMemberId: null, topic: '63.3(2Рос)' }, topics)).toEqual(['b']);
    expect(routeEnquiry({ preferredMemberId: null, topic: '26.8' }, topics)).toEqual([]);
    expect(routeEnquiry({ preferredMemberId: null, topic: null }, topics)).toEqual([]);
  });
});

describe('routing to the reference and bibliographic service section', () => {
  // The demo's section (scripts/demo/sections.ts): kemrsl coordinates, kemgik, kemsu, kem-mibs and nvkz-cbs are
  // members, nsk-onb observes; ktags is not in it.
  const SECTION_ANSWERS = ['kem-mibs', 'kemgik', 'kemrsl', 'kemsu', 'nvkz-cbs'];
  const section = (sectionsUrl: string, timeoutMs = 2_000) =>
    configureReferenceSection({
      sectionId: sectionId('reference'),
      sectionsUrl,
      secret: TEST_INTERNAL_SECRET,
      timeoutMs,
    });
  const routed = async (id: string) =>
    (
      (await graphqlOk(url, 'query($id: ID!) { enquiry(id: $id) { routedTo { code } } }', { id }, as.coordinator))
        .enquiry.routedTo as Array<{ code: string }>
    )
      .map((m) => m.code)
      .sort();
  const inQueueOf = async (code: string, id: string) =>
    ((await graphqlOk(url, QUEUE, { m: memberId(code) }, as.coordinator)).referenceQueue as Array<{ id: string }>)
      .map((e) => e.id)
      .includes(id);

  // The other blocks run without a section, as a network that has none configured.
  afterEach(() => configureReferenceSection(undefined));

  it('sends an enquiry on a topic no library declared to the section’s coordinator and members, not to observers or others', async () => {
    section(network.subgraphs.sections!.url);
    await graphqlOk(
      url,
      'mutation($m: ID!) { declareReferenceTopics(memberId: $m, topics: ["39.2"]) }',
      { m: memberId('ktags') },
      as.coordinator,
    );
    const declared = await ask({ topic: '39.22' });
    const undeclared = await ask({ topic: '85.37(2Рос-4Кем)' });
    const untopical = await ask({});
    const chosen = await ask({ preferredLibraryId: memberId('ktags'), topic: '85.37(2Рос-4Кем)' });
    // A library that declared the topic still gets it alone; the reader's choice still wins.
    expect(await routed(declared.enquiry.id)).toEqual(['ktags']);
    expect(await routed(chosen.enquiry.id)).toEqual(['ktags']);
    expect(await routed(undeclared.enquiry.id)).toEqual(SECTION_ANSWERS);
    // Without a topic there is nothing to route by: the network queue.
    expect(await routed(untopical.enquiry.id)).toEqual([]);
    expect(await inQueueOf('kemsu', undeclared.enquiry.id)).toBe(true);
    expect(await inQueueOf('nsk-onb', undeclared.enquiry.id)).toBe(false);
    expect(await inQueueOf('ktags', undeclared.enquiry.id)).toBe(false);
    expect(await inQueueOf('ktags', untopical.enquiry.id)).toBe(true);
  });

  it('falls back to the network queue when the sections service is down or does not answer in time', async () => {
    section(await deadUrl());
    const down = await ask({ topic: '85.37(2Рос-4Кем)' });
    expect(await routed(down.enquiry.id)).toEqual([]);
    expect(await inQueueOf('ktags', down.enquiry.id)).toBe(true);
    expect(await inQueueOf('kemsu', down.enquiry.id)).toBe(true);

    const slow = await startFaultProxy(network.subgraphs.sections!.url, { kind: 'slow', delayMs: 3_000 });
    try {
      section(slow.url, 200);
      const started = Date.now();
      const late = await ask({ topic: '85.37(2Рос-4Кем)' });
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(slow.requests).toBe(1);
      expect(await routed(late.enquiry.id)).toEqual([]);
      expect(await inQueueOf('ktags', late.enquiry.id)).toBe(true);
    } finally {
      await slow.stop();
    }
  });
});
