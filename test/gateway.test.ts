import { startGateway } from '../gateway';
import { createLogger } from '../lib/logger';
import { memberId, personId } from '../scripts/demo/members';
import { eventId } from '../scripts/demo/events';
import { sectionId } from '../scripts/demo/sections';
import { graphql, graphqlOk } from './testkit/graphql';
import { startTestNetwork, testGatewayConfig, type TestNetwork } from './testkit/network';

let network: TestNetwork;
let url: string;

beforeAll(async () => {
  network = await startTestNetwork('gateway');
  url = network.gateway.url;
});

afterAll(async () => {
  await network?.stop();
});

const names = (list: Array<{ name?: string; code?: string }>) => list.map((x) => x.code ?? x.name).sort();

describe('the gateway over the demo network', () => {
  it('answers the public contract query shapes', async () => {
    const data = await graphqlOk(
      url,
      /* GraphQL */ `
        {
          members(first: 3) {
            totalCount
            edges {
              cursor
              node {
                id
                code
                name
                shortName
                legalForm
                type
                region
                city
                status
                sections {
                  id
                }
                events {
                  totalCount
                }
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
          sections {
            id
            name
            description
            head {
              person {
                fullName
              }
            }
            members {
              member {
                code
              }
            }
            events {
              totalCount
            }
          }
          events(first: 2) {
            totalCount
            edges {
              cursor
              node {
                id
                title
                kind
                format
                startsAt
                endsAt
                host {
                  code
                }
                organisers {
                  __typename
                }
                talks {
                  title
                }
                participantsCount
                organisationsCount
                talksCount
                resolution
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `,
    );
    expect(data.members.totalCount).toBe(12);
    expect(data.members.edges).toHaveLength(3);
    expect(data.members.pageInfo.hasNextPage).toBe(true);
    expect(data.sections).toHaveLength(4);
    expect(data.events.totalCount).toBe(6);
  });

  it("resolves a member's sections and events across subgraphs", async () => {
    const data = await graphqlOk(
      url,
      `query($id: ID!) {
      member(id: $id) { code sections { name } events(first: 50) { totalCount edges { node { title } } } }
    }`,
      { id: memberId('kemrsl') },
    );
    expect(data.member.code).toBe('kemrsl');
    expect(names(data.member.sections)).toEqual([
      'Секция краеведческой библиографии',
      'Секция сводного каталога и электронных ресурсов',
      'Секция справочно-библиографического обслуживания',
    ]);
    const titles = data.member.events.edges.map((e: { node: { title: string } }) => e.node.title);
    expect(titles).toContain('XII сессия «Тренд на мобильность: перезагрузка библиографии»');
    expect(data.member.events.totalCount).toBe(titles.length);
  });

  it("resolves an event's organisers, talks' speakers and counts", async () => {
    const data = await graphqlOk(
      url,
      `query($id: ID!) {
      event(id: $id) {
        title kind format startsAt
        host { shortName city }
        organisers { __typename ... on Member { code shortName } ... on Section { name } }
        talks { order title speakers { person { fullName } organisation { shortName } } }
        participants { person { fullName } organisation { code } }
        participantsCount organisationsCount talksCount countsSource resolution
      }
    }`,
      { id: eventId('session-xii-2015') },
      network.coordinator,
    );
    const event = data.event;
    expect(event.title).toBe('XII сессия «Тренд на мобильность: перезагрузка библиографии»');
    expect(event.startsAt).toBe('2015-11-10T03:00:00.000Z');
    expect(event.host).toEqual({ shortName: 'КОНБ им. В. Д. Федорова', city: 'Кемерово' });
    expect(event.organisers).toEqual(
      expect.arrayContaining([
        { __typename: 'Member', code: 'kemrsl', shortName: 'КОНБ им. В. Д. Федорова' },
        { __typename: 'Member', code: 'kemgik', shortName: 'КемГИК' },
        { __typename: 'Section', name: 'Секция справочно-библиографического обслуживания' },
      ]),
    );
    expect(event.organisers).toHaveLength(3);
    expect(event.talks).toHaveLength(16);
    expect(event.talks[0].speakers[0]).toEqual({
      person: { fullName: 'Сидорова Наталья Викторовна' },
      organisation: { shortName: 'КОНБ им. В. Д. Федорова' },
    });
    expect(event.participants.length).toBe(15);
    expect(event.participants.every((p: { person: { fullName: string } | null }) => p.person?.fullName)).toBe(true);
    // Known only in totals: the reported figures win, and the result says so.
    expect([event.participantsCount, event.organisationsCount, event.talksCount, event.countsSource]).toEqual([
      143,
      38,
      16,
      'REPORTED',
    ]);
    expect(event.resolution).toMatch(/мобильные версии сайтов/);
  });

  it("resolves a section's member organisations, head and events", async () => {
    const data = await graphqlOk(
      url,
      `query($id: ID!) {
      section(id: $id) {
        name
        head { person { fullName position organisation { code } } organisation { shortName } since }
        members { role joinedOn member { code name } }
        events { totalCount edges { node { title } } }
      }
    }`,
      { id: sectionId('reference') },
    );
    const section = data.section;
    expect(section.head).toEqual({
      person: {
        fullName: 'Ермолаева Ольга Анатольевна',
        position: 'заведующий информационно-библиографическим отделом',
        organisation: { code: 'kemrsl' },
      },
      organisation: { shortName: 'КОНБ им. В. Д. Федорова' },
      since: '2012-01-10',
    });
    expect(section.members.map((m: { member: { code: string } }) => m.member.code).sort()).toEqual([
      'kem-mibs',
      'kemgik',
      'kemrsl',
      'kemsu',
      'nsk-onb',
      'nvkz-cbs',
    ]);
    expect(section.members.find((m: { member: { code: string } }) => m.member.code === 'kemrsl').role).toBe(
      'COORDINATOR',
    );
    expect(section.events.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual(
      expect.arrayContaining(['XII сессия «Тренд на мобильность: перезагрузка библиографии»']),
    );
  });

  it("resolves a person's organisation and a member's people", async () => {
    const data = await graphqlOk(
      url,
      `query($id: ID!) {
      person(id: $id) { fullName organisation { code people { fullName } } }
    }`,
      { id: personId('kemgik-dean') },
    );
    expect(data.person.organisation.code).toBe('kemgik');
    expect(data.person.organisation.people.map((p: { fullName: string }) => p.fullName)).toContain(
      'Кузнецова Ирина Геннадьевна',
    );
  });

  it('filters members and events through the gateway', async () => {
    const data = await graphqlOk(
      url,
      `{
      nsk: members(filter: { region: "Новосибирская область" }) { totalCount }
      schools: members(filter: { type: SCHOOL }) { edges { node { code } } }
      suspended: members(filter: { status: SUSPENDED }) { edges { node { code } } }
      webinars: events(filter: { kinds: [WEBINAR] }) { totalCount }
      upcoming: events(filter: { when: UPCOMING }) { edges { node { title startsAt } } }
    }`,
    );
    expect(data.nsk.totalCount).toBe(2);
    expect(data.schools.edges).toEqual([{ node: { code: 'kem-lyceum23' } }]);
    expect(data.suspended.edges).toEqual([{ node: { code: 'prk-mining' } }]);
    expect(data.webinars.totalCount).toBe(2);
    expect(data.upcoming.edges.length).toBeGreaterThanOrEqual(1);
    for (const edge of data.upcoming.edges) expect(Date.parse(edge.node.startsAt)).toBeGreaterThan(Date.now());
  });

  it('returns null for unknown ids', async () => {
    const data = await graphqlOk(
      url,
      `{
      member(id: "00000000-0000-4000-8000-000000000000") { id }
      memberByCode(code: "no-such-library") { id }
      section(id: "00000000-0000-4000-8000-000000000000") { id }
      event(id: "not-a-uuid") { id }
    }`,
    );
    expect(data).toEqual({ member: null, memberByCode: null, section: null, event: null });
  });

  it('refuses an invalid filter value and a malformed cursor with BAD_USER_INPUT naming the field', async () => {
    const badEnum = await graphql(
      url,
      `
        query ($f: MemberFilter) {
          members(filter: $f) {
            totalCount
          }
        }
      `,
      { f: { type: 'CASTLE' } },
    );
    expect(badEnum.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badEnum.errors?.[0]?.message).toMatch(/type/);
    const badCursor = await graphql(
      url,
      `
        {
          members(after: "%%%") {
            totalCount
          }
        }
      `,
    );
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(badCursor.errors?.[0]?.message).toMatch(/after/);
    const badRange = await graphql(
      url,
      `
        {
          events(filter: { from: "2020-01-01T00:00:00Z", to: "2019-01-01T00:00:00Z" }) {
            totalCount
          }
        }
      `,
    );
    expect(badRange.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.from' });
  });

  it('refuses a duplicate member code and writes nothing', async () => {
    const before = await graphqlOk(url, '{ members { totalCount } }');
    const result = await graphql(
      url,
      `
        mutation {
          admitMember(
            input: {
              code: "kemrsl"
              name: "Ещё одна"
              shortName: "Ещё"
              legalForm: OTHER
              type: OTHER
              region: "Кемеровская область — Кузбасс"
              city: "Кемерово"
            }
          ) {
            id
          }
        }
      `,
      {},
      network.coordinator,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(await graphqlOk(url, '{ members { totalCount } }')).toEqual(before);
  });

  it('runs a write flow across subgraphs: admit, add a person, register them to an event', async () => {
    const admitted = await graphqlOk(
      url,
      `mutation {
      admitMember(input: { code: "yurga-cbs", name: "МБУК «ЦБС г. Юрги»", shortName: "ЦБС Юрги", legalForm: MUNICIPAL_BUDGETARY_INSTITUTION, type: MUNICIPAL_CENTRAL, region: "Кемеровская область — Кузбасс", city: "Юрга" }) { id }
    }`,
      {},
      network.coordinator,
    );
    const member = admitted.admitMember.id;
    const added = await graphqlOk(
      url,
      `mutation($m: String) { addPerson(input: { fullName: "Зайцева Ольга Ивановна", position: "библиограф", organisationId: $m }) { id } }`,
      { m: member },
      network.coordinator,
    );
    const event = eventId('school-bibliographer-2027');
    const registered = await graphqlOk(
      url,
      `mutation($e: ID!, $p: ID!, $m: ID) {
      registerParticipant(eventId: $e, personId: $p, organisationId: $m) { participantsCount countsSource participants { person { fullName } organisation { city } } }
    }`,
      { e: event, p: added.addPerson.id, m: member },
      network.coordinator,
    );
    expect(registered.registerParticipant.participantsCount).toBe(1);
    expect(registered.registerParticipant.countsSource).toBe('REGISTRATIONS');
    expect(registered.registerParticipant.participants).toEqual([
      { person: { fullName: 'Зайцева Ольга Ивановна' }, organisation: { city: 'Юрга' } },
    ]);
  });
});

describe('the gateway itself', () => {
  it('answers a malformed or invalid operation with a GraphQL error, not a crash', async () => {
    const syntax = await graphql(url, '{ members { totalCount ');
    expect(syntax.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await graphql(url, '{ members { nope } }');
    expect(unknown.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await graphqlOk(url, '{ members { totalCount } }')).toEqual({ members: { totalCount: expect.any(Number) } });
  });

  it('reports every subgraph on /health', async () => {
    const response = await fetch(new URL('/health', url));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; subgraphs: Array<{ name: string; status: string }> };
    expect(body.status).toBe('ok');
    expect(body.subgraphs.map((s) => [s.name, s.status]).sort()).toEqual([
      ['events', 'ok'],
      ['members', 'ok'],
      ['reference', 'ok'],
      ['sections', 'ok'],
    ]);
  });

  it('can compose by introspecting the running subgraphs (development mode)', async () => {
    const dev = await startGateway(testGatewayConfig(network.subgraphs, { introspect: true, nodeEnv: 'development' }), {
      logger: createLogger('gateway', 'silent'),
    });
    try {
      const data = await graphqlOk(dev.url, `query($id: ID!) { member(id: $id) { code sections { name } } }`, {
        id: memberId('kemgik'),
      });
      expect(data.member.code).toBe('kemgik');
      expect(data.member.sections.length).toBeGreaterThan(0);
    } finally {
      await dev.stop();
    }
  });
});

describe('a subgraph that is down', () => {
  it('still gets the fields the others can answer, with an error naming the subgraph', async () => {
    await network.subgraphs.events!.stop();
    const result = await graphql(
      url,
      `
        query ($id: ID!) {
          member(id: $id) {
            code
            name
            events {
              totalCount
            }
          }
        }
      `,
      { id: memberId('kemgik') },
    );
    expect(result.data?.member).toMatchObject({ code: 'kemgik', name: expect.stringContaining('институт культуры') });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'events' });
    expect(result.errors?.[0]?.message).toMatch(/events/);

    const health = await fetch(new URL('/health', url));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded' });

    const rootDown = await graphql(
      url,
      `
        {
          members(first: 1) {
            totalCount
          }
          events {
            totalCount
          }
        }
      `,
    );
    expect(rootDown.data?.members).toEqual({ totalCount: expect.any(Number) });
    expect(rootDown.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'events' });
  });
});
