import { seedDemo } from '../scripts/demo';
import { graphqlOk } from './testkit/graphql';
import { startTestNetwork, type TestNetwork } from './testkit/network';

let network: TestNetwork;
beforeAll(async () => {
  network = await startTestNetwork('demo');
});
afterAll(async () => {
  await network?.stop();
});

const OVERVIEW = /* GraphQL */ `
  {
    members(first: 100) {
      totalCount
      edges {
        node {
          code
          type
          legalForm
          region
          status
          people {
            id
          }
        }
      }
    }
    sections {
      name
      members {
        member {
          code
        }
      }
      head {
        person {
          fullName
        }
      }
    }
    events(first: 100) {
      totalCount
      edges {
        node {
          title
          talks {
            id
          }
          participants {
            person {
              id
            }
          }
        }
      }
    }
    people(first: 100) {
      totalCount
    }
  }
`;

describe('the demo network', () => {
  it('is believable: several library types and legal forms in two oblasts, with the host and KemGIK', async () => {
    const data = await graphqlOk(network.gateway.url, OVERVIEW);
    const members = data.members.edges.map((e: { node: Record<string, string> }) => e.node);
    expect(members.length).toBeGreaterThanOrEqual(10);
    expect(new Set(members.map((m: { type: string }) => m.type)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(members.map((m: { legalForm: string }) => m.legalForm)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(members.map((m: { region: string }) => m.region))).toEqual(
      new Set(['Кемеровская область — Кузбасс', 'Новосибирская область']),
    );
    expect(members.map((m: { code: string }) => m.code)).toEqual(expect.arrayContaining(['kemrsl', 'kemgik']));
    expect(data.sections.map((s: { name: string }) => s.name)).toContain(
      'Секция справочно-библиографического обслуживания',
    );
    for (const section of data.sections) expect(section.head.person.fullName).toBeTruthy();
    const session = await graphqlOk(
      network.gateway.url,
      `{ events(filter: { search: "Тренд на мобильность" }) { edges { node { title startsAt venueAddress kind } } } }`,
    );
    expect(session.events.edges).toEqual([
      {
        node: {
          title: 'XII сессия «Тренд на мобильность: перезагрузка библиографии»',
          startsAt: '2015-11-10T03:00:00.000Z',
          venueAddress: expect.stringContaining('Кемерово'),
          kind: 'CONFERENCE_SESSION',
        },
      },
    ]);
  });

  it('seeds idempotently: a second run changes nothing', async () => {
    const before = await graphqlOk(network.gateway.url, OVERVIEW);
    const { members, sections, events } = network.subgraphs;
    await seedDemo({
      members: members!.orm.em,
      sections: sections!.orm.em,
      events: events!.orm.em,
      reference: network.subgraphs.reference!.orm.em,
    });
    expect(await graphqlOk(network.gateway.url, OVERVIEW)).toEqual(before);
  });
});
