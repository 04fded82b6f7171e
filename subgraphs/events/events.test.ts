import { randomUUID } from 'node:crypto';
import type { RunningSubgraph } from '../../lib/subgraph';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { graphql, graphqlOk } from '../../test/testkit/graphql';
import { startTestSubgraph } from '../../test/testkit/subgraph';
import { eventsSubgraph } from './index';
import { seedEvents, type EventSeed } from './seed';

let db: TestDatabase;
let subgraph: RunningSubgraph;

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

// Ids of other subgraphs' entities: plain UUIDs here.
const member = { kemrsl: randomUUID(), kemgik: randomUUID(), nvkz: randomUUID() };
const section = { reference: randomUUID(), localHistory: randomUUID() };
const person = Array.from({ length: 6 }, () => randomUUID());

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateEventInput!) {
    createEvent(input: $input) {
      id
      title
      kind
      format
      startsAt
      endsAt
      venueAddress
      onlineUrl
    }
  }
`;

const inPerson = {
  kind: 'SEMINAR',
  format: 'IN_PERSON',
  startsAt: '2024-04-23T03:00:00.000Z',
  endsAt: '2024-04-23T08:00:00.000Z',
  venueAddress: 'г. Кемерово, ул. Дзержинского, 19',
};

async function createEvent(input: Record<string, unknown>): Promise<string> {
  const data = await graphqlOk(subgraph.url, CREATE, { input: { ...inPerson, ...input } });
  return data.createEvent.id as string;
}

const ids = (connection: { edges: Array<{ node: { id: string } }> }) => connection.edges.map((e) => e.node.id);

// The fixture events the filter tests look at; no test changes them.
const fixture = { conference: '', webinar: '', seminar: '', meeting: '' };

beforeAll(async () => {
  db = await createTestDatabase('events');
  subgraph = await startTestSubgraph(eventsSubgraph, db);
  fixture.conference = await createEvent({
    title: 'Библиотеки Кузбасса: цифровая трансформация',
    kind: 'CONFERENCE',
    startsAt: '2024-05-14T03:00:00.000Z',
    endsAt: '2024-05-15T10:00:00.000Z',
    hostMemberId: member.kemrsl,
    organiserMemberIds: [member.kemrsl, member.kemgik],
    organiserSectionIds: [section.reference],
  });
  fixture.webinar = await createEvent({
    title: 'Краеведческие ресурсы в сети',
    kind: 'WEBINAR',
    format: 'ONLINE',
    startsAt: '2024-09-10T05:00:00.000Z',
    endsAt: '2024-09-10T06:30:00.000Z',
    venueAddress: null,
    onlineUrl: 'https://kemgik.example/webinars/2024-09-10',
    hostMemberId: member.kemgik,
    organiserMemberIds: [member.kemgik],
    organiserSectionIds: [section.localHistory],
  });
  fixture.seminar = await createEvent({
    title: 'Семинар для библиографов',
    kind: 'SEMINAR',
    format: 'HYBRID',
    startsAt: '2031-03-01T03:00:00.000Z',
    endsAt: '2031-03-02T09:00:00.000Z',
    onlineUrl: 'https://nvkz.example/seminar',
    hostMemberId: member.nvkz,
    organiserMemberIds: [member.nvkz],
    organiserSectionIds: [section.reference],
  });
  fixture.meeting = await createEvent({
    title: 'Заседание секции',
    kind: 'MEETING',
    format: 'ONLINE',
    startsAt: '2030-06-01T04:00:00.000Z',
    endsAt: '2030-06-01T06:00:00.000Z',
    venueAddress: null,
    onlineUrl: 'https://meet.example/section',
    organiserSectionIds: [section.reference],
  });
});

afterAll(async () => {
  await subgraph?.stop();
  await db?.drop();
});

describe('events subgraph', () => {
  it('creates an event and reads it back with host and union organisers', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `query($id: ID!) {
      event(id: $id) {
        title kind format startsAt endsAt venueAddress onlineUrl description
        host { id }
        organisers { __typename ... on Member { id } ... on Section { id } }
        talks { id } participants { registeredAt }
        resolution resolutionPublishedAt
      }
    }`,
      { id: fixture.conference },
    );
    expect(data.event).toEqual({
      title: 'Библиотеки Кузбасса: цифровая трансформация',
      kind: 'CONFERENCE',
      format: 'IN_PERSON',
      startsAt: '2024-05-14T03:00:00.000Z',
      endsAt: '2024-05-15T10:00:00.000Z',
      venueAddress: 'г. Кемерово, ул. Дзержинского, 19',
      onlineUrl: null,
      description: null,
      host: { id: member.kemrsl },
      organisers: [
        { __typename: 'Member', id: member.kemrsl },
        { __typename: 'Member', id: member.kemgik },
        { __typename: 'Section', id: section.reference },
      ],
      talks: [],
      participants: [],
      resolution: null,
      resolutionPublishedAt: null,
    });
  });

  it('returns null for unknown and malformed ids', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `{ a: event(id: "${UNKNOWN}") { id } b: event(id: "not-a-uuid") { id } }`,
    );
    expect(data).toEqual({ a: null, b: null });
  });

  it('validates new events, names the field and writes nothing', async () => {
    const org = randomUUID();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ title: '  ' }, 'input.title'],
      [{ title: 'Конец раньше начала', endsAt: '2024-04-22T08:00:00.000Z' }, 'input.endsAt'],
      [{ title: 'Без адреса', venueAddress: null }, 'input.venueAddress'],
      [{ title: 'Онлайн без ссылки', format: 'ONLINE', venueAddress: null }, 'input.onlineUrl'],
      [{ title: 'Смешанный без ссылки', format: 'HYBRID' }, 'input.onlineUrl'],
      [{ title: 'Плохая ссылка', format: 'ONLINE', onlineUrl: 'javascript:alert(1)' }, 'input.onlineUrl'],
      [{ title: 'Плохой организатор', organiserMemberIds: [org, 'nope'] }, 'input.organiserMemberIds.1'],
      [{ title: 'Плохая секция', organiserSectionIds: ['nope'] }, 'input.organiserSectionIds.0'],
      [{ title: 'Плохой хозяин', hostMemberId: 'nope' }, 'input.hostMemberId'],
    ];
    for (const [input, field] of cases) {
      const result = await graphql(subgraph.url, CREATE, {
        input: { ...inPerson, organiserMemberIds: [org], ...input },
      });
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const after = await graphqlOk(subgraph.url, `{ events(filter: { organiserMemberId: "${org}" }) { totalCount } }`);
    expect(after.events.totalCount).toBe(0);
  });

  it('updates an event, replacing only the organiser lists given', async () => {
    const [a, b, c, s] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const id = await createEvent({
      title: 'Вебинар',
      kind: 'WEBINAR',
      format: 'ONLINE',
      venueAddress: null,
      onlineUrl: 'https://example.org/w',
      organiserMemberIds: [a, b, a],
      organiserSectionIds: [s],
    });
    const organisers = '__typename ... on Member { id } ... on Section { id }';
    const toInPerson = await graphql(
      subgraph.url,
      `
        mutation ($id: ID!) {
          updateEvent(id: $id, input: { format: IN_PERSON }) {
            id
          }
        }
      `,
      { id },
    );
    expect(toInPerson.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.venueAddress' });
    const changed = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!, $members: [ID!]) {
      updateEvent(id: $id, input: { title: "Семинар", kind: SEMINAR, format: HYBRID, venueAddress: "г. Белово", organiserMemberIds: $members, hostMemberId: "${c}" }) {
        title kind format venueAddress onlineUrl host { id } organisers { ${organisers} }
      }
    }`,
      { id, members: [b, c] },
    );
    expect(changed.updateEvent).toEqual({
      title: 'Семинар',
      kind: 'SEMINAR',
      format: 'HYBRID',
      venueAddress: 'г. Белово',
      onlineUrl: 'https://example.org/w',
      host: { id: c },
      organisers: [
        { __typename: 'Member', id: b },
        { __typename: 'Member', id: c },
        { __typename: 'Section', id: s },
      ],
    });
    const cleared = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) {
      updateEvent(id: $id, input: { organiserSectionIds: null, hostMemberId: null, description: "Обновлено" }) { description host { id } organisers { ${organisers} } }
    }`,
      { id },
    );
    expect(cleared.updateEvent).toEqual({
      description: 'Обновлено',
      host: null,
      organisers: [
        { __typename: 'Member', id: b },
        { __typename: 'Member', id: c },
      ],
    });
    const bad: Array<[string, string]> = [
      ['{ title: null }', 'input.title'],
      ['{ endsAt: "2000-01-01T00:00:00Z" }', 'input.endsAt'],
      ['{ hostMemberId: "nope" }', 'input.hostMemberId'],
      ['{ organiserMemberIds: ["nope"] }', 'input.organiserMemberIds.0'],
    ];
    for (const [input, field] of bad) {
      const result = await graphql(
        subgraph.url,
        `mutation($id: ID!) { updateEvent(id: $id, input: ${input}) { id } }`,
        { id },
      );
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const missing = await graphql(
      subgraph.url,
      `mutation { updateEvent(id: "${UNKNOWN}", input: { title: "X" }) { id } }`,
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('registers participants once and counts them and their organisations', async () => {
    const id = await createEvent({ title: 'Регистрация' });
    const orgA = randomUUID();
    const orgB = randomUUID();
    const register = `mutation($event: ID!, $person: ID!, $org: ID) {
      registerParticipant(eventId: $event, personId: $person, organisationId: $org) { participantsCount organisationsCount }
    }`;
    // Several mutations in one request: each sees the registrations before it.
    const both = await graphqlOk(
      subgraph.url,
      `mutation($event: ID!) {
      a: registerParticipant(eventId: $event, personId: "${person[0]!}", organisationId: "${orgA}") { participantsCount organisationsCount }
      b: registerParticipant(eventId: $event, personId: "${person[1]!}", organisationId: "${orgA}") { participantsCount organisationsCount }
    }`,
      { event: id },
    );
    expect(both).toEqual({
      a: { participantsCount: 1, organisationsCount: 1 },
      b: { participantsCount: 2, organisationsCount: 1 },
    });
    await graphqlOk(subgraph.url, register, { event: id, person: person[2]!, org: orgB });
    const last = await graphqlOk(subgraph.url, register, { event: id, person: person[3]!, org: null });
    expect(last.registerParticipant).toEqual({ participantsCount: 4, organisationsCount: 2 });

    const twice = await graphql(subgraph.url, register, { event: id, person: person[0]!, org: orgB });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'personId' });
    const badPerson = await graphql(subgraph.url, register, { event: id, person: 'nope', org: null });
    expect(badPerson.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'personId' });
    const badOrg = await graphql(subgraph.url, register, { event: id, person: person[4]!, org: 'nope' });
    expect(badOrg.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organisationId' });
    const noEvent = await graphql(subgraph.url, register, { event: UNKNOWN, person: person[4]!, org: null });
    expect(noEvent.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const data = await graphqlOk(
      subgraph.url,
      `query($id: ID!) {
      event(id: $id) { participants { person { id } organisation { id } registeredAt } participantsCount countsSource reportedCounts { participants } }
    }`,
      { id },
    );
    // In order of registration; the first two registered within the same request, perhaps the same millisecond.
    const registeredIds = data.event.participants.map((p: { person: { id: string } }) => p.person.id);
    expect(registeredIds.slice(0, 2).sort()).toEqual(person.slice(0, 2).sort());
    expect(registeredIds.slice(2)).toEqual(person.slice(2, 4));
    expect(data.event.participants[3].organisation).toBeNull();
    expect(data.event.participants[0]).toMatchObject({ organisation: { id: orgA }, registeredAt: expect.any(String) });
    expect(data.event).toMatchObject({ participantsCount: 4, countsSource: 'REGISTRATIONS', reportedCounts: null });
  });

  it('adds talks in programme order with their speakers', async () => {
    const id = await createEvent({ title: 'Программа' });
    const org = randomUUID();
    const add = `mutation($event: ID!, $input: AddTalkInput!) { addTalk(eventId: $event, input: $input) { id title order abstract event { id } speakers { person { id } organisation { id } } } }`;
    const first = await graphqlOk(subgraph.url, add, {
      event: id,
      input: {
        title: 'Первый доклад',
        abstract: 'Аннотация',
        speakers: [{ personId: person[0]!, organisationId: org }, { personId: person[1]! }],
      },
    });
    expect(first.addTalk).toMatchObject({
      title: 'Первый доклад',
      order: 1,
      abstract: 'Аннотация',
      event: { id },
      speakers: [
        { person: { id: person[0]! }, organisation: { id: org } },
        { person: { id: person[1]! }, organisation: null },
      ],
    });
    await graphqlOk(subgraph.url, add, { event: id, input: { title: 'Пятый', order: 5 } });
    const appended = await graphqlOk(subgraph.url, add, { event: id, input: { title: 'Последний' } });
    expect(appended.addTalk.order).toBe(6);

    const taken = await graphql(subgraph.url, add, { event: id, input: { title: 'Занято', order: 5 } });
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.order' });
    const zero = await graphql(subgraph.url, add, { event: id, input: { title: 'Ноль', order: 0 } });
    expect(zero.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.order' });
    const twice = await graphql(subgraph.url, add, {
      event: id,
      input: { title: 'Дважды', speakers: [{ personId: person[0]! }, { personId: person[0]! }] },
    });
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.speakers.1.personId' });
    const badSpeaker = await graphql(subgraph.url, add, {
      event: id,
      input: { title: 'X', speakers: [{ personId: 'nope' }] },
    });
    expect(badSpeaker.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.speakers.0.personId',
    });
    const noEvent = await graphql(subgraph.url, add, { event: UNKNOWN, input: { title: 'X' } });
    expect(noEvent.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const data = await graphqlOk(
      subgraph.url,
      `query($id: ID!) { event(id: $id) { talksCount talks { title order speakers { person { id } } } } }`,
      { id },
    );
    expect(data.event.talksCount).toBe(3);
    expect(data.event.talks.map((t: { order: number }) => t.order)).toEqual([1, 5, 6]);
    expect(data.event.talks[0].speakers).toEqual([{ person: { id: person[0]! } }, { person: { id: person[1]! } }]);
  });

  it('publishes a resolution', async () => {
    const id = await createEvent({ title: 'Резолюция' });
    const publish = `mutation($id: ID!, $text: String!) { publishResolution(eventId: $id, text: $text) { resolution resolutionPublishedAt } }`;
    const empty = await graphql(subgraph.url, publish, { id, text: '   ' });
    expect(empty.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const before = Date.now();
    const data = await graphqlOk(subgraph.url, publish, { id, text: '  Рекомендовать развивать мобильные сервисы.  ' });
    expect(data.publishResolution.resolution).toBe('Рекомендовать развивать мобильные сервисы.');
    expect(Date.parse(data.publishResolution.resolutionPublishedAt)).toBeGreaterThanOrEqual(before - 1000);
    const missing = await graphql(subgraph.url, publish, { id: UNKNOWN, text: 'X' });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('returns reported counts instead of computed ones until they are cleared', async () => {
    const id = await createEvent({ title: 'Итоги в цифрах' });
    await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) {
      a: registerParticipant(eventId: $id, personId: "${person[0]!}", organisationId: "${member.kemrsl}") { id }
      b: registerParticipant(eventId: $id, personId: "${person[1]!}", organisationId: "${member.kemgik}") { id }
      t: addTalk(eventId: $id, input: { title: "Доклад" }) { id }
    }`,
      { id },
    );
    const fields =
      'participantsCount organisationsCount talksCount countsSource reportedCounts { participants organisations talks }';
    const set = (args: string) =>
      graphqlOk(subgraph.url, `mutation($id: ID!) { setReportedCounts(eventId: $id${args}) { ${fields} } }`, { id });

    const computed = await graphqlOk(subgraph.url, `query($id: ID!) { event(id: $id) { ${fields} } }`, { id });
    expect(computed.event).toEqual({
      participantsCount: 2,
      organisationsCount: 2,
      talksCount: 1,
      countsSource: 'REGISTRATIONS',
      reportedCounts: null,
    });

    const reported = await set(', participants: 143, organisations: 38, talks: 16');
    expect(reported.setReportedCounts).toEqual({
      participantsCount: 143,
      organisationsCount: 38,
      talksCount: 16,
      countsSource: 'REPORTED',
      reportedCounts: { participants: 143, organisations: 38, talks: 16 },
    });
    // A figure not reported is still computed.
    const partial = await set(', participants: 60');
    expect(partial.setReportedCounts).toEqual({
      participantsCount: 60,
      organisationsCount: 2,
      talksCount: 1,
      countsSource: 'REPORTED',
      reportedCounts: { participants: 60, organisations: null, talks: null },
    });
    const clearedCounts = await set('');
    expect(clearedCounts.setReportedCounts).toEqual(computed.event);

    const negative = await graphql(
      subgraph.url,
      `
        mutation ($id: ID!) {
          setReportedCounts(eventId: $id, participants: 5, organisations: -1) {
            id
          }
        }
      `,
      { id },
    );
    expect(negative.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organisations' });
    const missing = await graphql(
      subgraph.url,
      `mutation { setReportedCounts(eventId: "${UNKNOWN}", talks: 1) { id } }`,
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('counts many events in a fixed number of queries', async () => {
    const batchSection = randomUUID();
    for (let i = 0; i < 6; i += 1) {
      const id = await createEvent({ title: `Пакет ${i}`, organiserSectionIds: [batchSection] });
      await graphqlOk(
        subgraph.url,
        `mutation($id: ID!) {
        p: registerParticipant(eventId: $id, personId: "${person[i]}", organisationId: "${member.kemrsl}") { id }
        t: addTalk(eventId: $id, input: { title: "Доклад" }) { id }
      }`,
        { id },
      );
    }
    const connection = subgraph.orm.em.getConnection();
    const spy = jest.spyOn(connection, 'execute');
    const queriesFor = async (first: number) => {
      spy.mockClear();
      const data = await graphqlOk(
        subgraph.url,
        `{
        events(first: ${first}, filter: { sectionId: "${batchSection}" }) {
          edges { node { participantsCount organisationsCount talksCount } }
        }
      }`,
      );
      expect(data.events.edges).toHaveLength(first);
      expect(data.events.edges[0].node).toEqual({ participantsCount: 1, organisationsCount: 1, talksCount: 1 });
      return spy.mock.calls.length;
    };
    try {
      const one = await queriesFor(1);
      const many = await queriesFor(6);
      // The total count, the page, and one grouped query each for participations and talks.
      expect(one).toBeGreaterThanOrEqual(3);
      expect(many).toBe(one);
      expect(many).toBeLessThanOrEqual(4);
    } finally {
      spy.mockRestore();
    }
  });

  it('filters by kind, dates, timing, organiser, section, host and title', async () => {
    const { conference, webinar, seminar, meeting } = fixture;
    const data = await graphqlOk(
      subgraph.url,
      `{
      section: events(filter: { sectionId: "${section.reference}" }) { totalCount edges { node { id } } }
      upcoming: events(filter: { sectionId: "${section.reference}", when: UPCOMING }) { edges { node { id } } }
      past: events(filter: { sectionId: "${section.reference}", when: PAST }) { edges { node { id } } }
      year2030: events(filter: { sectionId: "${section.reference}", from: "2030-01-01T00:00:00Z", to: "2030-12-31T23:59:59Z" }) { edges { node { id } } }
      overlapping: events(filter: { sectionId: "${section.reference}", from: "2024-05-15T00:00:00Z", to: "2024-05-15T01:00:00Z" }) { edges { node { id } } }
      kinds: events(filter: { sectionId: "${section.reference}", kinds: [SEMINAR, CONFERENCE] }) { edges { node { id } } }
      organiser: events(filter: { organiserMemberId: "${member.kemgik}" }) { edges { node { id } } }
      host: events(filter: { hostMemberId: "${member.kemrsl}" }) { edges { node { id } } }
      local: events(filter: { sectionId: "${section.localHistory}", kinds: [WEBINAR] }) { edges { node { id } } }
      morph: events(filter: { sectionId: "${section.reference}", search: "цифровой трансформации" }) { edges { node { id } } }
      substring: events(filter: { organiserMemberId: "${member.kemgik}", search: "раеведчес" }) { edges { node { id } } }
      nobody: events(filter: { organiserMemberId: "${UNKNOWN}" }) { totalCount }
    }`,
    );
    expect(data.section.totalCount).toBe(3);
    expect(ids(data.section)).toEqual([seminar, meeting, conference]);
    expect(ids(data.upcoming)).toEqual([meeting, seminar]);
    expect(ids(data.past)).toEqual([conference]);
    expect(ids(data.year2030)).toEqual([meeting]);
    expect(ids(data.overlapping)).toEqual([conference]);
    expect(ids(data.kinds)).toEqual([seminar, conference]);
    expect(ids(data.organiser)).toEqual([webinar, conference]);
    expect(ids(data.host)).toEqual([conference]);
    expect(ids(data.local)).toEqual([webinar]);
    expect(ids(data.morph)).toEqual([conference]);
    expect(ids(data.substring)).toEqual([webinar]);
    expect(data.nobody.totalCount).toBe(0);
  });

  it('rejects bad filters naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['{ from: "2025-01-02T00:00:00Z", to: "2025-01-01T00:00:00Z" }', 'filter.from'],
      ['{ organiserMemberId: "nope" }', 'filter.organiserMemberId'],
      ['{ sectionId: "nope" }', 'filter.sectionId'],
      ['{ hostMemberId: "nope" }', 'filter.hostMemberId'],
    ];
    for (const [filter, field] of cases) {
      const result = await graphql(subgraph.url, `{ events(filter: ${filter}) { totalCount } }`);
      expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('pages with cursors without gaps or repeats, and rejects bad cursors', async () => {
    for (const when of ['null', 'UPCOMING', 'PAST']) {
      const all = await graphqlOk(
        subgraph.url,
        `{ events(first: 100, filter: { when: ${when} }) { totalCount edges { node { id } } } }`,
      );
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = await graphqlOk(
          subgraph.url,
          `query($after: String) { events(first: 2, after: $after, filter: { when: ${when} }) { edges { node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
          { after },
        );
        expect(page.events.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...ids(page.events));
        if (!page.events.pageInfo.hasNextPage) break;
        after = page.events.pageInfo.endCursor;
      }
      expect(seen).toEqual(ids(all.events));
      expect(seen).toHaveLength(all.events.totalCount);
    }
    const bad = await graphql(subgraph.url, '{ events(after: "garbage!!") { totalCount } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const forged = await graphql(
      subgraph.url,
      `{ events(after: "${Buffer.from('["yesterday","x"]').toString('base64url')}") { totalCount } }`,
    );
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const big = await graphql(subgraph.url, '{ events(first: 1000) { totalCount } }');
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('resolves Event references in order, with null for unknown ids', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Event { id title } } }`,
      {
        reps: [
          { __typename: 'Event', id: fixture.webinar },
          { __typename: 'Event', id: UNKNOWN },
          { __typename: 'Event', id: 'not-a-uuid' },
          { __typename: 'Event', id: fixture.conference },
        ],
      },
    );
    expect(data._entities).toEqual([
      { id: fixture.webinar, title: 'Краеведческие ресурсы в сети' },
      null,
      null,
      { id: fixture.conference, title: 'Библиотеки Кузбасса: цифровая трансформация' },
    ]);
  });

  it('adds events to members and sections through _entities', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        __typename
        ... on Member { id events { totalCount edges { node { id } } } }
        ... on Section { id events(first: 2) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }
      }
    }`,
      {
        reps: [
          { __typename: 'Member', id: member.kemgik },
          { __typename: 'Section', id: section.reference },
          { __typename: 'Member', id: 'not-a-uuid' },
          { __typename: 'Member', id: member.kemrsl },
          { __typename: 'Section', id: UNKNOWN },
        ],
      },
    );
    const [kemgik, reference, malformed, kemrsl, nothing] = data._entities;
    // Hosted or organised, most recent first.
    expect(kemgik).toMatchObject({ __typename: 'Member', id: member.kemgik, events: { totalCount: 2 } });
    expect(ids(kemgik.events)).toEqual([fixture.webinar, fixture.conference]);
    expect(ids(kemrsl.events)).toEqual([fixture.conference]);
    expect(reference).toMatchObject({
      __typename: 'Section',
      events: { totalCount: 3, pageInfo: { hasNextPage: true } },
    });
    expect(ids(reference.events)).toEqual([fixture.seminar, fixture.meeting]);
    // First pages of all parents come from one batched query, later pages from the keyset query: the
    // cursor of one must continue the other.
    const next = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!, $after: String) {
        _entities(representations: $reps) { ... on Section { events(first: 2, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage } } } }
      }`,
      { reps: [{ __typename: 'Section', id: section.reference }], after: reference.events.pageInfo.endCursor },
    );
    const rest = next._entities[0].events;
    expect(rest).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false } });
    expect(rest.edges).toHaveLength(1);
    expect([...ids(reference.events), ...ids(rest)]).toEqual(
      ids(
        (
          await graphqlOk(
            subgraph.url,
            `{ events(first: 3, filter: { sectionId: "${section.reference}" }) { edges { node { id } } } }`,
          )
        ).events,
      ),
    );
    expect(malformed).toBeNull();
    expect(nothing).toEqual({
      __typename: 'Section',
      id: UNKNOWN,
      events: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
    });
  });

  it('seeds events idempotently, replacing their organisers, talks and participants', async () => {
    const seedSection = randomUUID();
    const org = randomUUID();
    const [past, upcoming] = [randomUUID(), randomUUID()];
    const seeds: EventSeed[] = [
      {
        id: past,
        title: 'XII сессия «Тренд на мобильность: перезагрузка библиографии»',
        description: 'Ежегодная сессия партнёрства.',
        kind: 'CONFERENCE_SESSION',
        format: 'IN_PERSON',
        startsAt: '2015-11-10T03:00:00.000Z',
        endsAt: '2015-11-10T10:00:00.000Z',
        hostMemberId: member.kemrsl,
        venueAddress: 'г. Кемерово, ул. Дзержинского, 19',
        organiserMemberIds: [member.kemrsl, org],
        organiserSectionIds: [seedSection],
        talks: [
          {
            id: randomUUID(),
            title: 'Библиография в смартфоне',
            order: 1,
            speakers: [{ personId: person[0]!, organisationId: member.kemrsl }],
          },
          { id: randomUUID(), title: 'Мобильные сайты', order: 2, abstract: 'Итоги мониторинга', speakers: [] },
        ],
        participants: [
          { personId: person[0]!, organisationId: member.kemrsl },
          { personId: person[1]!, organisationId: org },
          { personId: person[2]!, organisationId: null },
        ],
        resolution: 'Развивать мобильные версии сайтов.',
        reported: { participants: 143, organisations: 38, talks: 16 },
      },
      {
        id: upcoming,
        title: 'Вебинар «Импорт каталога»',
        kind: 'WEBINAR',
        format: 'ONLINE',
        startsAt: '2036-12-10T05:00:00.000Z',
        endsAt: '2036-12-10T06:30:00.000Z',
        onlineUrl: 'https://kemrsl.example/webinars/2036-12-10',
        organiserMemberIds: [],
        organiserSectionIds: [seedSection],
        talks: [],
        participants: [],
      },
    ];
    const snapshot = () =>
      graphqlOk(
        subgraph.url,
        `{
      events(filter: { sectionId: "${seedSection}" }) {
        totalCount
        edges { node {
          id title updatedAt resolution resolutionPublishedAt
          organisers { __typename ... on Member { id } ... on Section { id } }
          talks { id title order abstract createdAt updatedAt speakers { person { id } organisation { id } } }
          participants { person { id } organisation { id } registeredAt }
          participantsCount organisationsCount talksCount countsSource reportedCounts { participants organisations talks }
        } }
      }
    }`,
      );

    const first = await seedEvents(subgraph.orm.em.fork(), seeds);
    expect(first).toEqual({ events: 2, talks: 2, participants: 3 });
    const once = await snapshot();
    const second = await seedEvents(subgraph.orm.em.fork(), seeds);
    expect(second).toEqual(first);
    const twice = await snapshot();
    expect(twice).toEqual(once);

    expect(once.events.totalCount).toBe(2);
    const [upcomingNode, pastNode] = once.events.edges.map((e: { node: any }) => e.node);
    expect(upcomingNode).toMatchObject({
      id: upcoming,
      countsSource: 'REGISTRATIONS',
      participantsCount: 0,
      talksCount: 0,
      resolution: null,
    });
    expect(pastNode).toMatchObject({
      id: past,
      participantsCount: 143,
      organisationsCount: 38,
      talksCount: 16,
      countsSource: 'REPORTED',
      reportedCounts: { participants: 143, organisations: 38, talks: 16 },
      resolution: 'Развивать мобильные версии сайтов.',
      resolutionPublishedAt: '2015-11-10T10:00:00.000Z',
    });
    expect(pastNode.talks.map((t: { order: number }) => t.order)).toEqual([1, 2]);
    // Seeded registrations keep the list order and are dated before the event.
    expect(pastNode.participants.map((p: { person: { id: string } }) => p.person.id)).toEqual(person.slice(0, 3));
    expect(
      pastNode.participants.every((p: { registeredAt: string }) => p.registeredAt < '2015-11-10T03:00:00.000Z'),
    ).toBe(true);
    expect(pastNode.organisers).toEqual([
      { __typename: 'Member', id: member.kemrsl },
      { __typename: 'Member', id: org },
      { __typename: 'Section', id: seedSection },
    ]);

    // Talks are upserted by id: swapping their places keeps the rows.
    const [talkA, talkB] = seeds[0]!.talks as [EventSeed['talks'][number], EventSeed['talks'][number]];
    await seedEvents(subgraph.orm.em.fork(), [
      {
        ...seeds[0]!,
        talks: [
          { ...talkA, order: 2 },
          { ...talkB, order: 1, speakers: [{ personId: person[3]!, organisationId: null }] },
        ],
      },
    ]);
    const swapped = await graphqlOk(
      subgraph.url,
      `query($id: ID!) { event(id: $id) { talks { id order createdAt speakers { person { id } } } } }`,
      { id: past },
    );
    expect(swapped.event.talks).toEqual([
      { id: talkB.id, order: 1, createdAt: pastNode.talks[1].createdAt, speakers: [{ person: { id: person[3]! } }] },
      { id: talkA.id, order: 2, createdAt: pastNode.talks[0].createdAt, speakers: [{ person: { id: person[0]! } }] },
    ]);

    // Changed lists replace the old ones; participants kept keep their registration time.
    const changed: EventSeed[] = [
      {
        ...seeds[0]!,
        organiserMemberIds: [org],
        talks: [{ ...seeds[0]!.talks[1]!, order: 1 }],
        participants: [seeds[0]!.participants[1]!, { personId: person[5]!, organisationId: null }],
        reported: null,
      },
    ];
    await seedEvents(subgraph.orm.em.fork(), changed);
    const replaced = await graphqlOk(
      subgraph.url,
      `query($id: ID!) {
      event(id: $id) {
        organisers { __typename ... on Member { id } ... on Section { id } }
        talks { id order } participants { person { id } registeredAt }
        participantsCount organisationsCount talksCount countsSource
      }
    }`,
      { id: past },
    );
    expect(replaced.event.organisers).toEqual([
      { __typename: 'Member', id: org },
      { __typename: 'Section', id: seedSection },
    ]);
    expect(replaced.event.talks).toEqual([{ id: seeds[0]!.talks[1]!.id, order: 1 }]);
    expect(replaced.event.participants.map((p: { person: { id: string } }) => p.person.id).sort()).toEqual(
      [person[1]!, person[5]!].sort(),
    );
    const kept = replaced.event.participants.find((p: { person: { id: string } }) => p.person.id === person[1]!);
    expect(kept.registeredAt).toBe(
      pastNode.participants.find((p: { person: { id: string } }) => p.person.id === person[1]!).registeredAt,
    );
    expect(replaced.event).toMatchObject({
      participantsCount: 2,
      organisationsCount: 1,
      talksCount: 1,
      countsSource: 'REGISTRATIONS',
    });

    // Invalid seed data is refused before anything is written.
    await expect(
      seedEvents(subgraph.orm.em.fork(), [{ ...seeds[1]!, id: randomUUID(), endsAt: '2000-01-01T00:00:00.000Z' }]),
    ).rejects.toThrow(/events\.0\.endsAt/);
    const total = await graphqlOk(subgraph.url, `{ events(filter: { sectionId: "${seedSection}" }) { totalCount } }`);
    expect(total.events.totalCount).toBe(2);
  });
});
