import type { RunningSubgraph } from '../../lib/subgraph';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { graphql, graphqlOk } from '../../test/testkit/graphql';
import { startTestSubgraph } from '../../test/testkit/subgraph';
import { membersSubgraph } from './index';

let db: TestDatabase;
let subgraph: RunningSubgraph;

const ADMIT = /* GraphQL */ `
  mutation Admit($input: AdmitMemberInput!) {
    admitMember(input: $input) {
      id
      code
      name
      shortName
      legalForm
      type
      region
      city
      status
      joinedOn
    }
  }
`;

const base = {
  legalForm: 'MUNICIPAL_BUDGETARY_INSTITUTION',
  type: 'MUNICIPAL_CENTRAL',
  region: 'Кемеровская область — Кузбасс',
};

async function admit(input: Record<string, unknown>) {
  const data = await graphqlOk(subgraph.url, ADMIT, { input: { ...base, ...input } });
  return data.admitMember as { id: string; code: string };
}

beforeAll(async () => {
  db = await createTestDatabase('members');
  subgraph = await startTestSubgraph(membersSubgraph, db);
  await admit({
    code: 'kemrsl',
    name: 'Кемеровская областная научная библиотека им. В. Д. Федорова',
    shortName: 'КОНБ им. В. Д. Федорова',
    legalForm: 'STATE_BUDGETARY_INSTITUTION',
    type: 'REGIONAL',
    city: 'Кемерово',
  });
  await admit({
    code: 'nvkz-cbs',
    name: 'Централизованная библиотечная система г. Новокузнецка',
    shortName: 'ЦБС Новокузнецка',
    city: 'Новокузнецк',
  });
  await admit({
    code: 'kemgik',
    name: 'Кемеровский государственный институт культуры',
    shortName: 'КемГИК',
    legalForm: 'FEDERAL_EDUCATIONAL_INSTITUTION',
    type: 'UNIVERSITY',
    city: 'Кемерово',
  });
  await admit({
    code: 'nsk-gpntb',
    name: 'Государственная публичная научно-техническая библиотека СО РАН',
    shortName: 'ГПНТБ СО РАН',
    legalForm: 'STATE_BUDGETARY_INSTITUTION',
    type: 'SPECIAL',
    region: 'Новосибирская область',
    city: 'Новосибирск',
  });
});

afterAll(async () => {
  await subgraph?.stop();
  await db?.drop();
});

describe('members subgraph', () => {
  it('admits a member and finds it by id and by code', async () => {
    const created = await admit({
      code: 'belovo-cbs',
      name: 'МБУК «ЦБС г. Белово»',
      shortName: 'ЦБС Белово',
      city: 'Белово',
    });
    const data = await graphqlOk(
      subgraph.url,
      `query($id: ID!) { member(id: $id) { code status } memberByCode(code: "belovo-cbs") { id } }`,
      { id: created.id },
    );
    expect(data.member).toEqual({ code: 'belovo-cbs', status: 'ACTIVE' });
    expect(data.memberByCode).toEqual({ id: created.id });
  });

  it('returns null for unknown and malformed ids', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `{
      a: member(id: "00000000-0000-4000-8000-000000000000") { id }
      b: member(id: "not-a-uuid") { id }
      c: memberByCode(code: "nobody") { id }
    }`,
    );
    expect(data).toEqual({ a: null, b: null, c: null });
  });

  it('refuses a duplicate code with a clear error and writes nothing', async () => {
    const before = await graphqlOk(subgraph.url, '{ members { totalCount } }');
    const result = await graphql(subgraph.url, ADMIT, {
      input: { ...base, code: 'kemrsl', name: 'Дубликат', shortName: 'Дубликат', city: 'Кемерово' },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.code' });
    expect(result.errors?.[0]?.message).toMatch(/kemrsl.*already exists/);
    const after = await graphqlOk(subgraph.url, '{ members { totalCount } }');
    expect(after).toEqual(before);
  });

  it('validates input and names the field', async () => {
    const result = await graphql(subgraph.url, ADMIT, {
      input: { ...base, code: 'Bad Code!', name: ' ', shortName: 'x', city: 'x', email: 'nope' },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (result.errors?.[0]?.extensions?.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['input.code', 'input.name', 'input.email']));
  });

  it('filters by region, type and legal form', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `{
      nsk: members(filter: { region: "Новосибирская область" }) { totalCount edges { node { code } } }
      uni: members(filter: { type: UNIVERSITY }) { edges { node { code } } }
      fed: members(filter: { legalForm: FEDERAL_EDUCATIONAL_INSTITUTION, type: UNIVERSITY }) { totalCount }
    }`,
    );
    expect(data.nsk).toEqual({ totalCount: 1, edges: [{ node: { code: 'nsk-gpntb' } }] });
    expect(data.uni.edges).toEqual([{ node: { code: 'kemgik' } }]);
    expect(data.fed.totalCount).toBe(1);
  });

  it('searches names with Russian morphology and by substring', async () => {
    // «библиотеки» (genitive plural) must match «библиотека» through the russian stemmer.
    const data = await graphqlOk(
      subgraph.url,
      `{
      morph: members(filter: { search: "научные библиотеки" }) { edges { node { code } } }
      part: members(filter: { search: "КемГИК" }) { edges { node { code } } }
      none: members(filter: { search: "%" }) { totalCount }
    }`,
    );
    expect(data.morph.edges.map((e: { node: { code: string } }) => e.node.code).sort()).toEqual([
      'kemrsl',
      'nsk-gpntb',
    ]);
    expect(data.part.edges).toEqual([{ node: { code: 'kemgik' } }]);
    expect(data.none.totalCount).toBe(0);
  });

  it('pages with cursors through the whole list without gaps or repeats', async () => {
    const all = await graphqlOk(subgraph.url, '{ members(first: 100) { totalCount edges { node { id } } } }');
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await graphqlOk(
        subgraph.url,
        `query($after: String) { members(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...page.members.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!page.members.pageInfo.hasNextPage) break;
      after = page.members.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.members.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(seen).toHaveLength(all.members.totalCount);
  });

  it('rejects a malformed cursor and an out-of-range page size as BAD_USER_INPUT', async () => {
    const bad = await graphql(subgraph.url, '{ members(after: "garbage!!") { totalCount } }');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const forged = await graphql(
      subgraph.url,
      `{ members(after: "${Buffer.from('{"x":1}').toString('base64url')}") { totalCount } }`,
    );
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    // Well-formed but with a value PostgreSQL could not compare with the id column.
    const wrongType = await graphql(
      subgraph.url,
      `{ members(after: "${Buffer.from('["Б","not-a-uuid"]').toString('base64url')}") { totalCount } }`,
    );
    expect(wrongType.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const big = await graphql(subgraph.url, '{ members(first: 1000) { totalCount } }');
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('updates a profile and changes status', async () => {
    const m = await admit({
      code: 'prk-cbs',
      name: 'ЦБС Прокопьевска',
      shortName: 'ЦБС Прокопьевска',
      city: 'Прокопьевск',
    });
    const data = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) {
      updateMember(id: $id, input: { website: "https://prk-lib.ru", phone: "+7 (3846) 61-00-00" }) { website phone name }
      changeMemberStatus(id: $id, status: SUSPENDED, reason: "неуплата взноса") { status statusReason statusChangedAt }
    }`,
      { id: m.id },
    );
    expect(data.updateMember).toEqual({
      website: 'https://prk-lib.ru',
      phone: '+7 (3846) 61-00-00',
      name: 'ЦБС Прокопьевска',
    });
    expect(data.changeMemberStatus).toMatchObject({ status: 'SUSPENDED', statusReason: 'неуплата взноса' });
    const missing = await graphql(
      subgraph.url,
      `
        mutation {
          updateMember(id: "00000000-0000-4000-8000-000000000000", input: { city: "X" }) {
            id
          }
        }
      `,
    );
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const cleared = await graphql(
      subgraph.url,
      `
        mutation ($id: ID!) {
          updateMember(id: $id, input: { name: null }) {
            id
          }
        }
      `,
      { id: m.id },
    );
    expect(cleared.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
  });

  it('registers and unregisters a catalogue node', async () => {
    const m = await admit({ code: 'node-lib', name: 'Библиотека с узлом', shortName: 'С узлом', city: 'Кемерово' });
    const reg = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) {
      registerCatalogueNode(memberId: $id, endpointUrl: "http://catalogue.node-lib.example/graphql") { catalogueNode { endpointUrl status registeredAt } }
    }`,
      { id: m.id },
    );
    expect(reg.registerCatalogueNode.catalogueNode).toMatchObject({
      endpointUrl: 'http://catalogue.node-lib.example/graphql',
      status: 'ACTIVE',
    });
    const badUrl = await graphql(
      subgraph.url,
      `
        mutation ($id: ID!) {
          registerCatalogueNode(memberId: $id, endpointUrl: "javascript:alert(1)") {
            id
          }
        }
      `,
      { id: m.id },
    );
    expect(badUrl.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endpointUrl' });
    const unreg = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) { unregisterCatalogueNode(memberId: $id) { catalogueNode { endpointUrl } } }`,
      { id: m.id },
    );
    expect(unreg.unregisterCatalogueNode.catalogueNode).toBeNull();
  });

  it('keeps people once and lists them under their organisation', async () => {
    const org = await graphqlOk(subgraph.url, '{ memberByCode(code: "kemgik") { id } }');
    const added = await graphqlOk(
      subgraph.url,
      `mutation($org: String!) {
      addPerson(input: { fullName: "Иванова Мария Петровна", position: "декан", organisationId: $org, email: "ivanova@example.ru" }) { id fullName organisation { code } }
    }`,
      { org: org.memberByCode.id },
    );
    expect(added.addPerson.organisation).toEqual({ code: 'kemgik' });
    const data = await graphqlOk(
      subgraph.url,
      `{ memberByCode(code: "kemgik") { people { fullName position } } people(filter: { search: "Ивановой" }) { totalCount } }`,
    );
    expect(data.memberByCode.people).toEqual([{ fullName: 'Иванова Мария Петровна', position: 'декан' }]);
    expect(data.people.totalCount).toBe(1);
    const badOrg = await graphql(
      subgraph.url,
      `
        mutation {
          addPerson(input: { fullName: "X", organisationId: "00000000-0000-4000-8000-000000000000" }) {
            id
          }
        }
      `,
    );
    expect(badOrg.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.organisationId' });
  });

  it('resolves federation references in one batch, in order, with null for unknown ids', async () => {
    const ids = await graphqlOk(subgraph.url, '{ members(first: 2) { edges { node { id code } } } }');
    const [a, b] = ids.members.edges.map((e: { node: { id: string; code: string } }) => e.node);
    const data = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Member { code } } }`,
      {
        reps: [
          { __typename: 'Member', id: b.id },
          { __typename: 'Member', id: '00000000-0000-4000-8000-000000000000' },
          { __typename: 'Member', id: a.id },
        ],
      },
    );
    expect(data._entities).toEqual([{ code: b.code }, null, { code: a.code }]);
    // Catalogue nodes refer to members by code.
    const byCode = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Member { id } } }`,
      {
        reps: [
          { __typename: 'Member', code: a.code },
          { __typename: 'Member', code: 'no-such-member' },
        ],
      },
    );
    expect(byCode._entities).toEqual([{ id: a.id }, null]);
  });
});
