import { isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { stableId } from '../../lib/ids';
import type { RunningSubgraph } from '../../lib/subgraph';
import { createTestDatabase, type TestDatabase } from '../../test/testkit/database';
import { graphql, graphqlOk } from '../../test/testkit/graphql';
import { startTestSubgraph } from '../../test/testkit/subgraph';
import { sectionsSubgraph } from './index';
import { seedSections, type SectionSeed } from './seed';
import { SectionMembership } from './section-membership.entity';
import { Section } from './section.entity';

let db: TestDatabase;
let subgraph: RunningSubgraph;

// Members and people live in the members subgraph; here they are just well-formed ids.
const member = (code: string) => stableId(`test-member:${code}`);
const person = (key: string) => stableId(`test-person:${key}`);
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const SECTION_FIELDS = /* GraphQL */ `
  id name description establishedOn
  head { person { id } organisation { id } since }
  members { member { id } role joinedOn section { id } }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateSectionInput!) { createSection(input: $input) { ${SECTION_FIELDS} } }
`;

async function create(input: Record<string, unknown>) {
  const data = await graphqlOk(subgraph.url, CREATE, { input: { description: 'Рабочая группа.', ...input } });
  return data.createSection as { id: string; name: string };
}

async function addMember(sectionId: string, memberId: string, extra: Record<string, unknown> = {}) {
  const data = await graphqlOk(
    subgraph.url,
    `mutation($s: ID!, $m: ID!, $role: SectionMemberRole, $joinedOn: LocalDate) {
      addSectionMember(sectionId: $s, memberId: $m, role: $role, joinedOn: $joinedOn) { members { member { id } role joinedOn } }
    }`,
    { s: sectionId, m: memberId, ...extra },
  );
  return data.addSectionMember.members as Array<{ member: { id: string }; role: string; joinedOn: string | null }>;
}

const today = () => new Date().toISOString().slice(0, 10);

let reference: { id: string; name: string };

beforeAll(async () => {
  db = await createTestDatabase('sections');
  subgraph = await startTestSubgraph(sectionsSubgraph, db);
  reference = await create({
    name: 'Секция справочно-библиографического обслуживания',
    description: 'Методика справочно-библиографического обслуживания, виртуальные справочные службы.',
    establishedOn: '2004-03-15',
  });
  await create({ name: 'Секция краеведческой библиографии', establishedOn: '2006-11-01' });
  await create({ name: 'Секция библиотек образовательных организаций' });
});

afterAll(async () => {
  await subgraph?.stop();
  await db?.drop();
});

describe('sections subgraph', () => {
  it('creates a section and finds it by id', async () => {
    const created = await create({
      name: 'Секция по работе с молодёжью',
      description: 'Молодёжные проекты.',
      establishedOn: '2019-05-27',
    });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Секция по работе с молодёжью',
      description: 'Молодёжные проекты.',
      establishedOn: '2019-05-27',
      head: null,
      members: [],
    });
    const data = await graphqlOk(subgraph.url, `query($id: ID!) { section(id: $id) { ${SECTION_FIELDS} } }`, {
      id: created.id,
    });
    expect(data.section).toEqual(created);
  });

  it('lists every section by name', async () => {
    const data = await graphqlOk(subgraph.url, '{ sections { name } }');
    const names = data.sections.map((s: { name: string }) => s.name);
    expect(names).toEqual(expect.arrayContaining([reference.name, 'Секция краеведческой библиографии']));
    expect(names).toEqual([...names].sort());
  });

  it('returns null for unknown and malformed ids', async () => {
    const data = await graphqlOk(
      subgraph.url,
      `{
      a: section(id: "${UNKNOWN}") { id }
      b: section(id: "not-a-uuid") { id }
    }`,
    );
    expect(data).toEqual({ a: null, b: null });
  });

  it('refuses a duplicate name with a clear error and writes nothing', async () => {
    const before = await graphqlOk(subgraph.url, '{ sections { id } }');
    const result = await graphql(subgraph.url, CREATE, {
      input: { name: `  ${reference.name} `, description: 'Дубликат' },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    expect(result.errors?.[0]?.message).toMatch(/справочно-библиографического обслуживания.*already exists/);
    const after = await graphqlOk(subgraph.url, '{ sections { id } }');
    expect(after).toEqual(before);
  });

  it('validates input and names the field', async () => {
    const result = await graphql(subgraph.url, CREATE, { input: { name: ' ', description: 'x'.repeat(4001) } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (result.errors?.[0]?.extensions?.problems as Array<{ field: string }>).map((p) => p.field);
    expect(fields).toEqual(['input.name', 'input.description']);
    const badDate = await graphql(
      subgraph.url,
      `
        mutation {
          createSection(input: { name: "X", description: "Y", establishedOn: "2020-13-45" }) {
            id
          }
        }
      `,
    );
    expect(badDate.errors?.length).toBeGreaterThan(0);
    expect(badDate.data ?? null).toBeNull();
  });

  it('updates a section: rename, description, clearing the founding date', async () => {
    const s = await create({ name: 'Секция временная', establishedOn: '2020-01-01' });
    const data = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) {
      updateSection(id: $id, input: { name: "Секция автоматизации", description: "АБИС и RFID.", establishedOn: null }) {
        name description establishedOn
      }
    }`,
      { id: s.id },
    );
    expect(data.updateSection).toEqual({
      name: 'Секция автоматизации',
      description: 'АБИС и RFID.',
      establishedOn: null,
    });
    const same = await graphqlOk(
      subgraph.url,
      `mutation($id: ID!) { updateSection(id: $id, input: { name: "Секция автоматизации" }) { name description } }`,
      { id: s.id },
    );
    expect(same.updateSection).toEqual({ name: 'Секция автоматизации', description: 'АБИС и RFID.' });

    const dup = await graphql(
      subgraph.url,
      `
        mutation ($id: ID!, $name: String) {
          updateSection(id: $id, input: { name: $name }) {
            id
          }
        }
      `,
      { id: s.id, name: reference.name },
    );
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.name' });
    const cleared = await graphql(
      subgraph.url,
      `
        mutation ($id: ID!) {
          updateSection(id: $id, input: { name: null }) {
            id
          }
        }
      `,
      { id: s.id },
    );
    expect(cleared.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    const missing = await graphql(
      subgraph.url,
      `mutation { updateSection(id: "${UNKNOWN}", input: { description: "X" }) { id } }`,
    );
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', id: UNKNOWN });
    const malformed = await graphql(
      subgraph.url,
      `
        mutation {
          updateSection(id: "nope", input: { description: "X" }) {
            id
          }
        }
      `,
    );
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const after = await graphqlOk(subgraph.url, `query($id: ID!) { section(id: $id) { name } }`, { id: s.id });
    expect(after.section).toEqual({ name: 'Секция автоматизации' });
  });

  it('adds members once each, coordinator first, and updates role and date when added again', async () => {
    const s = await create({ name: 'Секция сводного каталога' });
    await addMember(s.id, member('kemsu'), { role: 'OBSERVER', joinedOn: '2011-01-20' });
    await addMember(s.id, member('kemgik'));
    let members = await addMember(s.id, member('kemrsl'), { role: 'COORDINATOR', joinedOn: '2010-05-18' });
    expect(members).toEqual([
      { member: { id: member('kemrsl') }, role: 'COORDINATOR', joinedOn: '2010-05-18' },
      { member: { id: member('kemgik') }, role: 'MEMBER', joinedOn: today() },
      { member: { id: member('kemsu') }, role: 'OBSERVER', joinedOn: '2011-01-20' },
    ]);
    // Adding again changes the role; the joining date stays unless given.
    members = await addMember(s.id, member('kemsu'));
    expect(members).toContainEqual({ member: { id: member('kemsu') }, role: 'MEMBER', joinedOn: '2011-01-20' });
    members = await addMember(s.id, member('kemsu'), { role: 'OBSERVER', joinedOn: '2012-02-02' });
    expect(members).toContainEqual({ member: { id: member('kemsu') }, role: 'OBSERVER', joinedOn: '2012-02-02' });
    expect(members).toHaveLength(3);
    const rows = await subgraph.orm.em.fork().count(SectionMembership, { section: s.id });
    expect(rows).toBe(3);
  });

  it('rejects bad ids when adding a member', async () => {
    const add = (s: string, m: string) =>
      graphql(
        subgraph.url,
        `
          mutation ($s: ID!, $m: ID!) {
            addSectionMember(sectionId: $s, memberId: $m) {
              id
            }
          }
        `,
        { s, m },
      );
    expect((await add(reference.id, 'kemrsl')).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'memberId',
    });
    expect((await add('42', member('kemrsl'))).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'sectionId',
    });
    expect((await add(UNKNOWN, member('kemrsl'))).errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      id: UNKNOWN,
    });
    const data = await graphqlOk(subgraph.url, `query($id: ID!) { section(id: $id) { members { role } } }`, {
      id: reference.id,
    });
    expect(data.section.members).toEqual([]);
  });

  it('removes a member, and refuses to remove one that is not there', async () => {
    const s = await create({ name: 'Секция редкой книги' });
    await addMember(s.id, member('kemrsl'), { role: 'COORDINATOR' });
    await addMember(s.id, member('nvkz-cbs'));
    const removed = await graphqlOk(
      subgraph.url,
      `mutation($s: ID!, $m: ID!) {
      removeSectionMember(sectionId: $s, memberId: $m) { members { member { id } } }
    }`,
      { s: s.id, m: member('nvkz-cbs') },
    );
    expect(removed.removeSectionMember.members).toEqual([{ member: { id: member('kemrsl') } }]);
    const again = await graphql(
      subgraph.url,
      `
        mutation ($s: ID!, $m: ID!) {
          removeSectionMember(sectionId: $s, memberId: $m) {
            id
          }
        }
      `,
      { s: s.id, m: member('nvkz-cbs') },
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberId' });
    const malformed = await graphql(
      subgraph.url,
      `
        mutation ($s: ID!) {
          removeSectionMember(sectionId: $s, memberId: "x") {
            id
          }
        }
      `,
      { s: s.id },
    );
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'memberId' });
    const unknown = await graphql(
      subgraph.url,
      `mutation($m: ID!) { removeSectionMember(sectionId: "${UNKNOWN}", memberId: $m) { id } }`,
      { m: member('kemrsl') },
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('shows each mutation’s effect to the fields after it in the same request', async () => {
    const s = await create({ name: 'Секция массовых библиотек' });
    const data = await graphqlOk(
      subgraph.url,
      `mutation($s: ID!, $a: ID!, $b: ID!) {
      one: addSectionMember(sectionId: $s, memberId: $a) { members { member { id } } }
      two: addSectionMember(sectionId: $s, memberId: $b, role: COORDINATOR) { members { member { id } } }
      three: removeSectionMember(sectionId: $s, memberId: $a) { members { member { id } } }
    }`,
      { s: s.id, a: member('belovo-cbs'), b: member('kem-mibs') },
    );
    expect(data.one.members).toEqual([{ member: { id: member('belovo-cbs') } }]);
    expect(data.two.members).toEqual([
      { member: { id: member('kem-mibs') } },
      { member: { id: member('belovo-cbs') } },
    ]);
    expect(data.three.members).toEqual([{ member: { id: member('kem-mibs') } }]);
  });

  it('sets, replaces and clears the head of a section', async () => {
    const s = await create({ name: 'Секция методической работы' });
    const HEAD = `mutation($s: ID!, $p: ID!, $o: ID, $since: LocalDate) {
      setSectionHead(sectionId: $s, personId: $p, organisationId: $o, since: $since) { head { person { id } organisation { id } since } }
    }`;
    let data = await graphqlOk(subgraph.url, HEAD, {
      s: s.id,
      p: person('ivanova'),
      o: member('kemrsl'),
      since: '2015-02-01',
    });
    expect(data.setSectionHead.head).toEqual({
      person: { id: person('ivanova') },
      organisation: { id: member('kemrsl') },
      since: '2015-02-01',
    });
    // The same person again without a date keeps the date; a new head without one starts today.
    data = await graphqlOk(subgraph.url, HEAD, { s: s.id, p: person('ivanova') });
    expect(data.setSectionHead.head).toEqual({
      person: { id: person('ivanova') },
      organisation: null,
      since: '2015-02-01',
    });
    data = await graphqlOk(subgraph.url, HEAD, { s: s.id, p: person('petrov'), o: member('kemgik') });
    expect(data.setSectionHead.head).toEqual({
      person: { id: person('petrov') },
      organisation: { id: member('kemgik') },
      since: today(),
    });

    const badPerson = await graphql(subgraph.url, HEAD, { s: s.id, p: 'petrov' });
    expect(badPerson.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'personId' });
    const badOrg = await graphql(subgraph.url, HEAD, { s: s.id, p: person('petrov'), o: 'kemgik' });
    expect(badOrg.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'organisationId' });
    const badSection = await graphql(subgraph.url, HEAD, { s: 'x', p: person('petrov') });
    expect(badSection.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sectionId' });
    const unknown = await graphql(subgraph.url, HEAD, { s: UNKNOWN, p: person('petrov') });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const cleared = await graphqlOk(
      subgraph.url,
      `mutation($s: ID!) { clearSectionHead(sectionId: $s) { head { since } } }`,
      { s: s.id },
    );
    expect(cleared.clearSectionHead.head).toBeNull();
    const stored = await graphqlOk(subgraph.url, `query($s: ID!) { section(id: $s) { head { since } } }`, { s: s.id });
    expect(stored.section.head).toBeNull();
    const missing = await graphql(subgraph.url, `mutation { clearSectionHead(sectionId: "${UNKNOWN}") { id } }`);
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('resolves Section references in order, with null for unknown ids', async () => {
    const all = await graphqlOk(subgraph.url, '{ sections { id name } }');
    const [a, b] = all.sections as [{ id: string; name: string }, { id: string; name: string }];
    const data = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Section { name } } }`,
      {
        reps: [
          { __typename: 'Section', id: b.id },
          { __typename: 'Section', id: UNKNOWN },
          { __typename: 'Section', id: 'malformed' },
          { __typename: 'Section', id: a.id },
        ],
      },
    );
    expect(data._entities).toEqual([{ name: b.name }, null, null, { name: a.name }]);
  });

  it('adds sections and memberships to Member references, in order', async () => {
    const x = await create({ name: 'Я-секция (последняя по алфавиту)' });
    const y = await create({ name: 'А-секция (первая по алфавиту)' });
    await addMember(x.id, member('novosib'), { role: 'COORDINATOR', joinedOn: '2020-01-01' });
    await addMember(y.id, member('novosib'), { role: 'OBSERVER', joinedOn: '2021-01-01' });
    await addMember(y.id, member('tomsk'));
    const data = await graphqlOk(
      subgraph.url,
      `query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Member { id sections { name } sectionMemberships { role joinedOn section { name } member { id } } }
      }
    }`,
      {
        reps: [
          { __typename: 'Member', id: member('tomsk') },
          { __typename: 'Member', id: member('nobody') },
          { __typename: 'Member', id: 'malformed' },
          { __typename: 'Member', id: member('novosib') },
        ],
      },
    );
    expect(data._entities).toEqual([
      {
        id: member('tomsk'),
        sections: [{ name: 'А-секция (первая по алфавиту)' }],
        sectionMemberships: [
          {
            role: 'MEMBER',
            joinedOn: today(),
            section: { name: 'А-секция (первая по алфавиту)' },
            member: { id: member('tomsk') },
          },
        ],
      },
      { id: member('nobody'), sections: [], sectionMemberships: [] },
      null,
      {
        id: member('novosib'),
        sections: [{ name: 'А-секция (первая по алфавиту)' }, { name: 'Я-секция (последняя по алфавиту)' }],
        sectionMemberships: [
          {
            role: 'OBSERVER',
            joinedOn: '2021-01-01',
            section: { name: 'А-секция (первая по алфавиту)' },
            member: { id: member('novosib') },
          },
          {
            role: 'COORDINATOR',
            joinedOn: '2020-01-01',
            section: { name: 'Я-секция (последняя по алфавиту)' },
            member: { id: member('novosib') },
          },
        ],
      },
    ]);
  });

  it('batches nested lists: a fixed number of queries, whatever the number of rows', async () => {
    const connection = subgraph.orm.em.getConnection();
    const spy = jest.spyOn(connection, 'execute');
    try {
      const data = await graphqlOk(
        subgraph.url,
        `{
        sections { name members { role section { name } member { id sections { name members { role } } } } }
      }`,
      );
      expect(data.sections.length).toBeGreaterThan(5);
      expect(data.sections.flatMap((s: { members: unknown[] }) => s.members).length).toBeGreaterThan(5);
      // Sections; memberships by section; memberships by member. Sections by id are primed by the first query.
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('seeds idempotently, replacing each seeded section’s memberships', async () => {
    const seeds: SectionSeed[] = [
      {
        id: stableId('test-section:local-history'),
        name: 'Секция краеведения (сид)',
        description: 'Краеведческие базы данных.',
        establishedOn: '2006-11-01',
        head: { personId: person('local'), organisationId: member('kemrsl'), since: '2015-02-01' },
        members: [
          { memberId: member('kemrsl'), role: 'COORDINATOR', joinedOn: '2006-11-01' },
          { memberId: member('nvkz-cbs'), role: 'MEMBER', joinedOn: '2007-04-12' },
          { memberId: member('tyazhin'), role: 'OBSERVER' },
        ],
      },
      {
        id: stableId('test-section:education'),
        name: 'Секция образовательных библиотек (сид)',
        description: 'Библиотеки вузов и колледжей.',
        members: [{ memberId: member('kemgik'), role: 'COORDINATOR', joinedOn: '2008-09-15' }],
      },
    ];
    const em = subgraph.orm.em;
    const snapshot = async () => {
      const fork = em.fork();
      const rows = await fork.find(
        SectionMembership,
        { section: { $in: seeds.map((s) => s.id) } },
        { orderBy: { id: 'asc' } },
      );
      return {
        sections: await fork.count(Section),
        memberships: rows.map((m) => ({
          id: m.id,
          section: m.section.id,
          member: m.memberId,
          role: m.role,
          joinedOn: m.joinedOn,
        })),
      };
    };
    const before = await snapshot();
    expect(await seedSections(em, seeds)).toEqual({ sections: 2, memberships: 4 });
    const once = await snapshot();
    expect(once.sections).toBe(before.sections + 2);
    expect(once.memberships).toHaveLength(4);
    expect(await seedSections(em.fork(), seeds)).toEqual({ sections: 2, memberships: 4 });
    expect(await snapshot()).toEqual(once);

    const data = await graphqlOk(subgraph.url, `query($id: ID!) { section(id: $id) { ${SECTION_FIELDS} } }`, {
      id: seeds[0]!.id,
    });
    expect(data.section).toMatchObject({
      name: 'Секция краеведения (сид)',
      establishedOn: '2006-11-01',
      head: { person: { id: person('local') }, organisation: { id: member('kemrsl') }, since: '2015-02-01' },
      members: [
        { member: { id: member('kemrsl') }, role: 'COORDINATOR', joinedOn: '2006-11-01' },
        { member: { id: member('nvkz-cbs') }, role: 'MEMBER', joinedOn: '2007-04-12' },
        { member: { id: member('tyazhin') }, role: 'OBSERVER', joinedOn: null },
      ],
    });

    // Changed seed data: fields updated, the dropped membership deleted, the kept ones keep their ids.
    const changed: SectionSeed[] = [
      {
        ...seeds[0]!,
        description: 'Краеведческие базы данных и сводная картотека.',
        head: null,
        members: [
          { memberId: member('kemrsl'), role: 'COORDINATOR', joinedOn: '2006-11-01' },
          { memberId: member('tyazhin'), role: 'MEMBER', joinedOn: '2014-03-01' },
        ],
      },
      seeds[1]!,
    ];
    expect(await seedSections(em, changed)).toEqual({ sections: 2, memberships: 3 });
    const after = await snapshot();
    expect(after.sections).toBe(once.sections);
    expect(after.memberships.map((m) => m.id).sort()).toEqual(
      once.memberships
        .filter((m) => m.member !== member('nvkz-cbs'))
        .map((m) => m.id)
        .sort(),
    );
    const reread = await graphqlOk(
      subgraph.url,
      `query($id: ID!) { section(id: $id) { description head { since } members { member { id } role joinedOn } } }`,
      { id: seeds[0]!.id },
    );
    expect(reread.section).toEqual({
      description: 'Краеведческие базы данных и сводная картотека.',
      head: null,
      members: [
        { member: { id: member('kemrsl') }, role: 'COORDINATOR', joinedOn: '2006-11-01' },
        { member: { id: member('tyazhin') }, role: 'MEMBER', joinedOn: '2014-03-01' },
      ],
    });

    // Bad seed data is refused before anything is written.
    await expect(
      seedSections(em, [{ ...seeds[1]!, members: [{ memberId: 'kemgik', role: 'MEMBER' }] }]),
    ).rejects.toThrow(/not a UUID/);
    await expect(
      seedSections(em, [
        { ...seeds[1]!, name: 'Секция образовательных библиотек (новое имя)' },
        { ...seeds[0]!, id: stableId('x'), name: 'Секция образовательных библиотек (новое имя)' },
      ]),
    ).rejects.toThrow();
    expect(await snapshot()).toEqual(after);
    const names = await graphqlOk(subgraph.url, `query($id: ID!) { section(id: $id) { name } }`, { id: seeds[1]!.id });
    expect(names.section.name).toBe('Секция образовательных библиотек (сид)');
  });

  it('describes every type, field, argument and enum value it defines', async () => {
    const schema = await sectionsSubgraph.buildSchema();
    const missing: string[] = [];
    const own = [
      'Query',
      'Mutation',
      'Section',
      'SectionHead',
      'SectionMembership',
      'SectionMemberRole',
      'Member',
      'Person',
      'CreateSectionInput',
      'UpdateSectionInput',
    ];
    for (const name of own) {
      const type = schema.getType(name);
      if (!type) throw new Error(`type ${name} is missing`);
      if (!type.description) missing.push(name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (field.name.startsWith('_')) continue;
          if (!field.description) missing.push(`${name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const v of type.getValues()) if (!v.description) missing.push(`${name}.${v.name}`);
    }
    expect(missing).toEqual([]);
  });
});
