import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { auditServer } from 'graphql-http';
import { closeServer, listen } from '../lib/http';
import { signToken } from '../lib/credentials';
import { IDENTITY_HEADER, SERVICE, signIdentity } from '../lib/identity';
import { generateCatalogue } from '../scripts/catalogue-generator';
import { memberId } from '../scripts/demo/members';
import { issueCredential, revokeCredential } from '../subgraphs/members/credential-client';
import { distScript, startNodeProcess, stopProcess } from '../scripts/processes';
import { graphql, graphqlOk } from './testkit/graphql';
import { TEST_INTERNAL_SECRET, UNSIGNED, signedAs } from './testkit/identity';
import { type GatewayConfig, loadGatewayConfig, startGateway } from '../gateway';
import { createLogger } from '../lib/logger';
import { loadTestConfig } from './testkit/config';
import { startTestNetwork, testGatewayConfig, type TestNetwork } from './testkit/network';

/**
 * Who may do what, through the gateway the way clients come: every role against every mutation and
 * protected field, and direct calls around the gateway with no, forged or expired signatures.
 */

let network: TestNetwork;
let url: string;
type Role = 'anonymous' | 'editor' | 'otherEditor' | 'coordinator';
const as: Record<Role, Record<string, string>> = { anonymous: {}, editor: {}, otherEditor: {}, coordinator: {} };
const KEMRSL = memberId('kemrsl');
const KEMGIK = memberId('kemgik');
let hostedEvent: string;
let kemrslPerson: string;
let kemgikPerson: string;
let section: string;

beforeAll(async () => {
  network = await startTestNetwork('security', { catalogueNodes: [['kemrsl']] });
  url = network.gateway.url;
  as.coordinator = network.coordinator;
  as.editor = await network.credential({ role: 'EDITOR', memberCode: 'kemrsl', label: 'kemrsl editor' });
  as.otherEditor = await network.credential({ role: 'EDITOR', memberCode: 'kemgik', label: 'kemgik editor' });
  const c = (query: string, variables: Record<string, unknown> = {}) =>
    graphqlOk(url, query, variables, as.coordinator);
  const person = async (org: string, name: string, email: string) =>
    (
      await c(
        `mutation($o: String) { addPerson(input: { fullName: "${name}", organisationId: $o, email: "${email}", phone: "+7 000 000-00-00" }) { id } }`,
        { o: org },
      )
    ).addPerson.id as string;
  kemrslPerson = await person(KEMRSL, 'Петрова Анна Сергеевна', 'petrova@example.org');
  kemgikPerson = await person(KEMGIK, 'Сидоров Павел Ильич', 'sidorov@example.org');
  hostedEvent = (
    await c(
      `mutation($h: ID) { createEvent(input: { title: "Семинар КОНБ", kind: SEMINAR, format: ONLINE, onlineUrl: "https://example.org/s", startsAt: "2026-03-01T03:00:00Z", endsAt: "2026-03-01T06:00:00Z", hostMemberId: $h }) { id } }`,
      { h: KEMRSL },
    )
  ).createEvent.id;
  for (const [p, o] of [
    [kemrslPerson, KEMRSL],
    [kemgikPerson, KEMGIK],
  ])
    await c(
      'mutation($e: ID!, $p: ID!, $o: ID) { registerParticipant(eventId: $e, personId: $p, organisationId: $o) { id } }',
      {
        e: hostedEvent,
        p,
        o,
      },
    );
  section = (await c('{ sections { id } }')).sections[0].id;
  await c('mutation($m: ID!) { submitMemberReport(memberId: $m, year: 2019, figures: { visits: 100 }) { year } }', {
    m: KEMRSL,
  });
}, 120_000);

afterAll(async () => {
  await network?.stop();
});

let unique = 0;
const next = () => `${Date.now().toString(36)}${(unique++).toString(36)}`;

interface Case {
  name: string;
  allowed: Role[];
  run(headers: Record<string, string>, role: Role): Promise<{ errors?: Array<{ extensions?: { code?: unknown } }> }>;
}

const call = (query: string, variables: () => Record<string, unknown>) => (headers: Record<string, string>) =>
  graphql(url, query, variables(), headers);

const C: Role[] = ['coordinator'];
const OWN: Role[] = ['coordinator', 'editor'];
const years: Record<Role, number> = { anonymous: 2010, editor: 2011, otherEditor: 2012, coordinator: 2013 };

/** A reference desk enquiry for kemrsl, asked anonymously and brought (as a coordinator) to `stage`. */
async function enquiryAt(stage: 'NEW' | 'ASSIGNED' | 'ANSWERED'): Promise<{ id: string; token: string }> {
  const asked = (
    await graphqlOk(
      url,
      'mutation($m: ID) { askReferenceQuestion(input: { question: "Где найти план Кемерова 1930-х годов?", readerName: "Читатель", readerContact: "reader@example.org", preferredLibraryId: $m }) { readerToken enquiry { id } } }',
      { m: KEMRSL },
      // With a key: the anonymous callers' hourly limit on questions is not what this matrix is about.
      as.coordinator,
    )
  ).askReferenceQuestion;
  const id = asked.enquiry.id as string;
  const c = (query: string) => graphqlOk(url, query, { id, m: KEMRSL }, as.coordinator);
  if (stage !== 'NEW') await c('mutation($id: ID!, $m: ID!) { takeEnquiry(id: $id, memberId: $m) { id } }');
  if (stage === 'ANSWERED') await c('mutation($id: ID!) { answerEnquiry(id: $id, text: "В фонде КемОНБ.") { id } }');
  return { id, token: asked.readerToken as string };
}

const onEnquiry =
  (stage: 'NEW' | 'ASSIGNED' | 'ANSWERED', query: string, extra: Record<string, unknown> = {}) =>
  async (headers: Record<string, string>) => {
    const { id, token } = await enquiryAt(stage);
    return graphql(url, query, { id, token, m: KEMRSL, to: KEMGIK, ...extra }, headers);
  };

const EVERYONE: Role[] = ['anonymous', 'otherEditor', 'editor', 'coordinator'];

const CASES: Case[] = [
  {
    name: 'admitMember',
    allowed: C,
    run: call(
      'mutation($c: String!) { admitMember(input: { code: $c, name: "Новая библиотека", shortName: "Новая", legalForm: OTHER, type: OTHER, region: "Кемеровская область — Кузбасс", city: "Кемерово" }) { id } }',
      () => ({ c: `lib-${next()}` }),
    ),
  },
  {
    name: 'updateMember (own member)',
    allowed: OWN,
    run: call('mutation($id: ID!) { updateMember(id: $id, input: { phone: "+7 (3842) 36-42-91" }) { id } }', () => ({
      id: KEMRSL,
    })),
  },
  {
    name: 'changeMemberStatus',
    allowed: C,
    run: call('mutation($id: ID!) { changeMemberStatus(id: $id, status: ACTIVE) { id } }', () => ({ id: KEMGIK })),
  },
  {
    name: 'registerCatalogueNode',
    allowed: C,
    run: call(
      'mutation($id: ID!) { registerCatalogueNode(memberId: $id, endpointUrl: "http://127.0.0.1:9/graphql", status: SUSPENDED) { id } }',
      () => ({ id: memberId('ktags') }),
    ),
  },
  {
    name: 'unregisterCatalogueNode',
    allowed: C,
    run: async (headers, role) => {
      if (role === 'coordinator')
        await graphqlOk(
          url,
          'mutation($id: ID!) { registerCatalogueNode(memberId: $id, endpointUrl: "http://127.0.0.1:9/graphql", status: SUSPENDED) { id } }',
          { id: memberId('nvkz-cbs') },
          as.coordinator,
        );
      return graphql(
        url,
        'mutation($id: ID!) { unregisterCatalogueNode(memberId: $id) { id } }',
        { id: memberId('nvkz-cbs') },
        headers,
      );
    },
  },
  {
    name: 'addPerson (own member)',
    allowed: OWN,
    run: call(
      'mutation($o: String) { addPerson(input: { fullName: "Новикова Ирина", organisationId: $o }) { id } }',
      () => ({ o: KEMRSL }),
    ),
  },
  {
    name: 'updatePerson (own member’s)',
    allowed: OWN,
    run: call('mutation($id: ID!) { updatePerson(id: $id, input: { position: "библиограф" }) { id } }', () => ({
      id: kemrslPerson,
    })),
  },
  {
    name: 'submitMemberReport (own member)',
    allowed: OWN,
    run: (headers, role) =>
      graphql(
        url,
        'mutation($m: ID!, $y: Int!) { submitMemberReport(memberId: $m, year: $y, figures: { visits: 10 }) { year } }',
        { m: KEMRSL, y: years[role] },
        headers,
      ),
  },
  {
    name: 'correctMemberReport (own member)',
    allowed: OWN,
    run: call(
      'mutation($m: ID!) { correctMemberReport(memberId: $m, year: 2019, figures: { visits: 101 }, reason: "уточнено") { revision } }',
      () => ({ m: KEMRSL }),
    ),
  },
  {
    name: 'createSection',
    allowed: C,
    run: call('mutation($n: String!) { createSection(input: { name: $n, description: "Секция" }) { id } }', () => ({
      n: `Секция ${next()}`,
    })),
  },
  {
    name: 'updateSection',
    allowed: C,
    run: call('mutation($id: ID!) { updateSection(id: $id, input: { description: "Обновлено" }) { id } }', () => ({
      id: section,
    })),
  },
  {
    name: 'addSectionMember',
    allowed: C,
    run: call(
      'mutation($s: ID!, $m: ID!) { addSectionMember(sectionId: $s, memberId: $m, role: OBSERVER) { id } }',
      () => ({ s: section, m: KEMRSL }),
    ),
  },
  {
    name: 'removeSectionMember',
    allowed: C,
    run: async (headers, role) => {
      if (role === 'coordinator')
        await graphqlOk(
          url,
          'mutation($s: ID!, $m: ID!) { addSectionMember(sectionId: $s, memberId: $m) { id } }',
          { s: section, m: memberId('ktags') },
          as.coordinator,
        );
      return graphql(
        url,
        'mutation($s: ID!, $m: ID!) { removeSectionMember(sectionId: $s, memberId: $m) { id } }',
        { s: section, m: memberId('ktags') },
        headers,
      );
    },
  },
  {
    name: 'setSectionHead',
    allowed: C,
    run: call('mutation($s: ID!, $p: ID!) { setSectionHead(sectionId: $s, personId: $p) { id } }', () => ({
      s: section,
      p: kemrslPerson,
    })),
  },
  {
    name: 'clearSectionHead',
    allowed: C,
    run: call('mutation($s: ID!) { clearSectionHead(sectionId: $s) { id } }', () => ({ s: section })),
  },
  {
    name: 'createEvent (hosted by own member)',
    allowed: OWN,
    run: call(
      'mutation($h: ID) { createEvent(input: { title: "Вебинар", kind: WEBINAR, format: ONLINE, onlineUrl: "https://example.org/w", startsAt: "2026-04-01T03:00:00Z", endsAt: "2026-04-01T04:00:00Z", hostMemberId: $h }) { id } }',
      () => ({ h: KEMRSL }),
    ),
  },
  {
    name: 'updateEvent (hosted by own member)',
    allowed: OWN,
    run: call(
      'mutation($id: ID!) { updateEvent(id: $id, input: { description: "Программа уточнена" }) { id } }',
      () => ({ id: hostedEvent }),
    ),
  },
  {
    name: 'registerParticipant (own member’s person)',
    allowed: OWN,
    run: async (headers) => {
      const added = await graphqlOk(
        url,
        'mutation($o: String) { addPerson(input: { fullName: "Участник Семинара", organisationId: $o }) { id } }',
        { o: KEMRSL },
        as.coordinator,
      );
      return graphql(
        url,
        'mutation($e: ID!, $p: ID!, $o: ID) { registerParticipant(eventId: $e, personId: $p, organisationId: $o) { id } }',
        { e: hostedEvent, p: added.addPerson.id, o: KEMRSL },
        headers,
      );
    },
  },
  {
    name: 'addTalk (event hosted by own member)',
    allowed: OWN,
    run: call('mutation($e: ID!) { addTalk(eventId: $e, input: { title: "Доклад" }) { id } }', () => ({
      e: hostedEvent,
    })),
  },
  {
    name: 'publishResolution (event hosted by own member)',
    allowed: OWN,
    run: call('mutation($e: ID!) { publishResolution(eventId: $e, text: "Решение принято") { id } }', () => ({
      e: hostedEvent,
    })),
  },
  {
    name: 'setReportedCounts (event hosted by own member)',
    allowed: OWN,
    run: call('mutation($e: ID!) { setReportedCounts(eventId: $e) { id } }', () => ({ e: hostedEvent })),
  },
  {
    name: 'askReferenceQuestion',
    allowed: EVERYONE,
    run: call(
      'mutation { askReferenceQuestion(input: { question: "Есть ли у вас подшивки «Кузбасса» за 1950 год?", readerName: "Читатель", readerContact: "+7 900 000-00-00" }) { readerToken } }',
      () => ({}),
    ),
  },
  {
    name: 'replyToEnquiry (with the reader’s token)',
    allowed: EVERYONE,
    run: onEnquiry('ASSIGNED', 'mutation($token: String!) { replyToEnquiry(token: $token, text: "Спасибо!") { id } }'),
  },
  {
    name: 'takeEnquiry (routed to own member)',
    allowed: OWN,
    run: onEnquiry('NEW', 'mutation($id: ID!, $m: ID!) { takeEnquiry(id: $id, memberId: $m) { id } }'),
  },
  {
    name: 'passEnquiry (routed to own member)',
    allowed: OWN,
    run: onEnquiry('NEW', 'mutation($id: ID!, $to: ID!) { passEnquiry(id: $id, toMemberId: $to) { id } }'),
  },
  {
    name: 'answerEnquiry (taken by own member)',
    allowed: OWN,
    run: onEnquiry('ASSIGNED', 'mutation($id: ID!) { answerEnquiry(id: $id, text: "Да, есть.") { id } }'),
  },
  {
    name: 'closeEnquiry (taken by own member)',
    allowed: OWN,
    run: onEnquiry('ANSWERED', 'mutation($id: ID!) { closeEnquiry(id: $id) { id } }'),
  },
  {
    name: 'rejectEnquiry (routed to own member)',
    allowed: OWN,
    run: onEnquiry('NEW', 'mutation($id: ID!) { rejectEnquiry(id: $id, reason: "Повтор") { id } }'),
  },
  {
    name: 'publishEnquiryAnswer (answered by own member)',
    allowed: OWN,
    run: onEnquiry('ANSWERED', 'mutation($id: ID!) { publishEnquiryAnswer(id: $id) { id } }'),
  },
  {
    name: 'declareReferenceTopics (own member)',
    allowed: OWN,
    run: call('mutation($m: ID!) { declareReferenceTopics(memberId: $m, topics: ["63.3(2Рос-4Кем)"]) }', () => ({
      m: KEMRSL,
    })),
  },
];

describe('every role against every mutation', () => {
  it('covers every mutation of the public schema', async () => {
    const { __schema } = await graphqlOk(url, '{ __schema { mutationType { fields { name } } } }');
    const names = __schema.mutationType.fields.map((f: { name: string }) => f.name).sort();
    expect(names).toEqual(CASES.map((c) => c.name.split(' ')[0]).sort());
  });

  const ROLES: Role[] = ['anonymous', 'otherEditor', 'editor', 'coordinator'];
  it.each(CASES.flatMap((c) => ROLES.map((role) => [c.name, role, c] as const)))('%s as %s', async (_name, role, c) => {
    const result = await c.run(as[role], role);
    const code = result.errors?.[0]?.extensions?.code;
    if (c.allowed.includes(role)) {
      expect(result.errors ?? []).toEqual([]);
    } else {
      expect(code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
  });
});

describe('personal data', () => {
  const PERSON = 'query($id: ID!) { person(id: $id) { fullName email phone } }';

  it('shows a person’s email and phone to coordinators and the person’s own organisation only', async () => {
    const read = async (role: Role) => (await graphqlOk(url, PERSON, { id: kemrslPerson }, as[role])).person;
    expect(await read('coordinator')).toMatchObject({ email: 'petrova@example.org', phone: '+7 000 000-00-00' });
    expect(await read('editor')).toMatchObject({ email: 'petrova@example.org', phone: '+7 000 000-00-00' });
    expect(await read('otherEditor')).toEqual({ fullName: 'Петрова Анна Сергеевна', email: null, phone: null });
    expect(await read('anonymous')).toEqual({ fullName: 'Петрова Анна Сергеевна', email: null, phone: null });
  });

  it('lists participants to coordinators, an editor its own people only, anonymous callers none', async () => {
    const participants = async (role: Role) =>
      (
        await graphqlOk(
          url,
          'query($id: ID!) { event(id: $id) { participantsCount participants { person { id } organisation { code } } } }',
          { id: hostedEvent },
          as[role],
        )
      ).event;
    const all = await participants('coordinator');
    expect(all.participants.length).toBeGreaterThanOrEqual(2);
    const own = await participants('editor');
    expect(own.participants.length).toBeGreaterThan(0);
    expect(own.participants.every((p: { organisation: { code: string } }) => p.organisation.code === 'kemrsl')).toBe(
      true,
    );
    expect((await participants('otherEditor')).participants).toEqual([
      { person: { id: kemgikPerson }, organisation: { code: 'kemgik' } },
    ]);
    const anonymous = await participants('anonymous');
    expect(anonymous.participants).toEqual([]);
    // The count is not personal: everyone sees it.
    expect(anonymous.participantsCount).toBe(all.participantsCount);
  });

  it('lets coordinators read every member’s reports and an editor its own', async () => {
    const reports = (role: Role, member?: string) =>
      graphql(
        url,
        'query($m: ID) { memberReports(memberId: $m) { member { code } year } }',
        { m: member ?? null },
        as[role],
      );
    expect((await reports('anonymous')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await reports('otherEditor', KEMRSL)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const own = await reports('editor');
    expect(own.errors).toBeUndefined();
    expect(own.data!.memberReports.every((r: { member: { code: string } }) => r.member.code === 'kemrsl')).toBe(true);
    expect((await reports('coordinator')).data!.memberReports.length).toBeGreaterThan(0);
    const reported = (role: Role, members?: string[]) =>
      graphql(
        url,
        'query($f: StatisticsFilter) { networkStatistics(filter: $f) { members { total } reported { byYear { year } } } }',
        { f: members ? { members } : null },
        as[role],
      );
    const anonymous = await reported('anonymous');
    expect(anonymous.data!.networkStatistics.members.total).toBeGreaterThan(0);
    expect(anonymous.data!.networkStatistics.reported).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await reported('editor')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await reported('editor', [KEMRSL])).errors).toBeUndefined();
    expect((await reported('coordinator')).data!.networkStatistics.reported.byYear.length).toBeGreaterThan(0);
  });
});

describe('credentials', () => {
  const WRITE = 'mutation { updateMember(id: "' + KEMRSL + '", input: { website: "https://kemrsl.ru" }) { id } }';

  it('accepts a token (JWT) like a key, and refuses forged, revoked and expired ones with 401', async () => {
    const token = await network.credential({ role: 'EDITOR', memberCode: 'kemrsl', label: 'token', kind: 'TOKEN' });
    expect(token.authorization).toMatch(/^Bearer ey/);
    expect((await graphql(url, WRITE, {}, token)).errors).toBeUndefined();
    const forgedToken = await signToken(
      { id: randomUUID(), role: 'COORDINATOR', expiresAt: new Date(Date.now() + 60_000) },
      'another-secret-0123456789abcdefghijklmnop',
    );
    const refused = async (headers: Record<string, string>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: WRITE }),
      });
      const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
      return { status: response.status, code: body.errors?.[0]?.extensions?.code };
    };
    expect(await refused({ authorization: `Bearer ${forgedToken}` })).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    expect(await refused({ authorization: 'Bearer kbg_not-a-key-of-this-network' })).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    expect(await refused({ 'x-api-key': 'kbg_not-a-key-of-this-network' })).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });

    const revoked = await issueCredential(network.subgraphs.members!.url, TEST_INTERNAL_SECRET, {
      role: 'COORDINATOR',
      label: 'to revoke',
    });
    await revokeCredential(network.subgraphs.members!.url, TEST_INTERNAL_SECRET, revoked.credential.id);
    expect(await refused({ authorization: `Bearer ${revoked.secret}` })).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });

    const shortLived = await issueCredential(network.subgraphs.members!.url, TEST_INTERNAL_SECRET, {
      role: 'COORDINATOR',
      label: 'short-lived',
      expiresAt: new Date(Date.now() + 1500),
    });
    expect((await graphql(url, WRITE, {}, { authorization: `Bearer ${shortLived.secret}` })).errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(await refused({ authorization: `Bearer ${shortLived.secret}` })).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('ignores an identity header a client sends to the gateway', async () => {
    const pretend = { [IDENTITY_HEADER]: signIdentity({ role: 'COORDINATOR' }, TEST_INTERNAL_SECRET) };
    const result = await graphql(url, WRITE, {}, pretend);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('around the gateway', () => {
  const targets = () => [
    ...Object.values(network.subgraphs).map((s) => [s.name, s.url] as const),
    ['catalogue node', network.catalogueNodes.kemrsl!.endpoint('kemrsl')] as const,
  ];
  const QUERY = '{ __typename }';

  it('refuses requests without a signature, with a forged one or an expired one', async () => {
    for (const [name, target] of targets()) {
      const status = async (headers: Record<string, string>) =>
        (
          await fetch(target, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ query: QUERY }),
          })
        ).status;
      expect([name, await status(UNSIGNED)]).toEqual([name, 401]);
      expect([
        name,
        await status({
          [IDENTITY_HEADER]: signIdentity({ role: 'COORDINATOR' }, 'forged-secret-0123456789abcdefghijklmno'),
        }),
      ]).toEqual([name, 401]);
      expect([
        name,
        await status({
          [IDENTITY_HEADER]: signIdentity({ role: 'COORDINATOR' }, TEST_INTERNAL_SECRET, Date.now() - 120_000),
        }),
      ]).toEqual([name, 401]);
      expect([name, await status({ [IDENTITY_HEADER]: 'e30.AAAA' })]).toEqual([name, 401]);
      expect([name, await status(signedAs({ role: 'ANONYMOUS' }))]).toEqual([name, 200]);
    }
  });

  it('keeps credentials to the admin CLI: nobody else may list or issue them', async () => {
    const members = network.subgraphs.members!.url;
    const list = await graphql(members, '{ _credentials { id } }', {}, signedAs({ role: 'COORDINATOR' }));
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // Not in the public API at all.
    const viaGateway = await graphql(url, '{ _credentials { id } }', {}, network.coordinator);
    expect(viaGateway.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('limits at the gateway', () => {
  const refused = async (
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) => {
    const started = performance.now();
    const result = await graphql(url, query, variables, headers);
    return {
      ms: performance.now() - started,
      code: result.errors?.[0]?.extensions?.code,
      message: result.errors?.[0]?.message,
      data: result.data,
    };
  };

  it('refuses depth, alias, size, root-field, cost and page-size bombs at once, each with its code', async () => {
    const deep = `{ members(first: 1) { edges { node { people { organisation { people { organisation { people { organisation { people { organisation { people { organisation { people { fullName } } } } } } } } } } } } } } }`;
    const aliases = `{ members { ${Array.from({ length: 200 }, (_, i) => `a${i}: totalCount`).join(' ')} } }`;
    const tokens = `{ members(filter: { search: "x" }) { totalCount ${'__typename '.repeat(6000)} } }`;
    const roots = `{ ${Array.from({ length: 11 }, (_, i) => `m${i}: member(id: "${KEMRSL}") { code }`).join(' ')} }`;
    const cost = `{ members(first: 100) { edges { node { events(first: 100) { edges { node { talks { speakers { organisation { events(first: 100) { totalCount } } } } } } } } } } }`;
    const page = `{ members(first: 5000) { totalCount } }`;
    const results = {
      depth: await refused(deep),
      aliases: await refused(aliases),
      tokens: await refused(tokens),
      roots: await refused(roots),
      cost: await refused(cost),
      page: await refused(page),
    };
    expect(results.depth).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: expect.stringMatching(/depth limit of 12/),
    });
    expect(results.aliases).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      message: expect.stringMatching(/Aliases limit of 30/),
    });
    expect(results.tokens).toMatchObject({
      code: 'GRAPHQL_PARSE_FAILED',
      message: expect.stringMatching(/contains more th\w+ 5000 tokens/),
    });
    expect(results.roots).toMatchObject({ code: 'ROOT_FIELDS_LIMIT' });
    expect(results.cost).toMatchObject({ code: 'QUERY_COST_LIMIT' });
    expect(results.page).toMatchObject({ code: 'PAGE_SIZE_LIMIT' });
    for (const r of Object.values(results)) expect(r.data ?? null).toBeNull();
    // Refused before any subgraph is asked: well within a second even on a busy machine.
    for (const [name, r] of Object.entries(results)) expect([name, r.ms < 1000]).toEqual([name, true]);
  });

  it('refuses a body over the size limit and a GET without CSRF protection', async () => {
    const big = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(200 * 1024) } }),
    });
    expect(big.status).toBe(413);
    const get = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/);
  });

  it('answers HTTP errors as JSON with a code on every service, never an HTML page or a stack trace', async () => {
    const signed = signedAs(SERVICE);
    const graphqlPaths = [
      ['gateway', url, {}],
      ['members subgraph', network.subgraphs.members!.url, signed],
      ['catalogue node', network.catalogueNodes.kemrsl!.endpoint('kemrsl'), signed],
    ] as const;
    const answer = async (response: Response) => ({
      status: response.status,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, unknown>,
    });
    const post = (target: string, headers: Record<string, string>, body: string) =>
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const graphqlError = (status: number, code: string) => ({
      status,
      type: expect.stringMatching(/^application\/json/),
      body: { errors: [{ message: expect.any(String), extensions: { code } }] },
    });
    for (const [service, target, headers] of graphqlPaths) {
      const huge = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
      expect([service, await answer(await post(target, headers, huge))]).toEqual([
        service,
        graphqlError(413, 'PAYLOAD_TOO_LARGE'),
      ]);
      expect([service, await answer(await post(target, headers, '{"query": "{ __typename }"'))]).toEqual([
        service,
        graphqlError(400, 'BAD_REQUEST'),
      ]);
      const unknown = new URL('/no/such/path', target).href;
      expect([service, await answer(await fetch(unknown, { headers }))]).toEqual([
        service,
        {
          status: 404,
          type: expect.stringMatching(/^application\/json/),
          body: { error: 'Nothing is served at GET /no/such/path', code: 'NOT_FOUND' },
        },
      ]);
    }
  });

  it('keeps SQL-shaped and very long inputs harmless', async () => {
    const sqlish = "x'); drop table member; --";
    const search = await graphqlOk(url, 'query($s: String) { members(filter: { search: $s }) { totalCount } }', {
      s: sqlish,
    });
    expect(search.members.totalCount).toBe(0);
    const long = await graphql(url, 'query($s: String) { members(filter: { search: $s }) { totalCount } }', {
      s: 'щ'.repeat(50_000),
    });
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const catalogue = await graphql(url, 'query($q: String!) { catalogueSearch(query: $q, first: 1) { total } }', {
      q: sqlish,
    });
    expect(catalogue.errors ?? []).toEqual([]);
    // Still all there.
    expect((await graphqlOk(url, '{ members { totalCount } }')).members.totalCount).toBeGreaterThan(10);
  });
});

describe('rate limits and introspection', () => {
  const started: Array<{ stop(): Promise<void> }> = [];
  afterAll(async () => {
    for (const g of started) await g.stop();
  });
  const gatewayWith = async (overrides: Partial<GatewayConfig>) => {
    const gateway = await startGateway(testGatewayConfig(network.subgraphs, overrides), {
      logger: createLogger('gateway', 'silent'),
    });
    started.push(gateway);
    return gateway;
  };
  const statuses = async (target: string, n: number, headers: Record<string, string> = {}) => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      codes.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
        expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
      } else await response.text();
    }
    return codes;
  };

  it('counts each caller in memory: anonymous by address, a credential by itself', async () => {
    const gateway = await gatewayWith({
      rateLimits: {
        perMinute: { anonymous: 3, editor: 4, coordinator: 5 },
        anonymousAsksPerHour: 10,
        redisUrl: undefined,
        keyPrefix: `t-${randomUUID()}`,
      },
    });
    expect(await statuses(gateway.url, 4)).toEqual([200, 200, 200, 429]);
    // The same limit holds on the plain HTTP routes (CSV exports, catalogue imports).
    const csv = await fetch(`${new URL(gateway.url).origin}/statistics/members-by-region.csv`);
    expect([csv.status, Number(csv.headers.get('retry-after')) > 0]).toEqual([429, true]);
    // Another caller has a limit of its own.
    expect(await statuses(gateway.url, 5, as.editor)).toEqual([200, 200, 200, 200, 429]);
    expect(await statuses(gateway.url, 6, as.coordinator)).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('holds one limit across two gateway processes sharing Redis', async () => {
    // Two gateways as deployed: separate processes (the compiled entry point), one Redis, one prefix.
    const env = {
      // eslint-disable-next-line no-restricted-properties -- the child needs PATH and nothing else from us
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      SUPERGRAPH_PATH: join(__dirname, '../schema/supergraph.graphql'),
      MEMBERS_URL: network.subgraphs.members!.url,
      SECTIONS_URL: network.subgraphs.sections!.url,
      EVENTS_URL: network.subgraphs.events!.url,
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
      REDIS_URL: loadTestConfig().TEST_REDIS_URL,
      GATEWAY_RATE_LIMIT_PREFIX: `t-${randomUUID().slice(0, 8)}`,
      GATEWAY_RATE_LIMIT_ANONYMOUS: '4',
      LOG_LEVEL: 'warn',
    };
    const spawnGateway = async () => {
      const gateway = await startNodeProcess([distScript('gateway/main.js')], env, /gateway ready at (\S+)/);
      return { url: gateway.ready[1]!, child: gateway.child };
    };
    const [one, two] = await Promise.all([spawnGateway(), spawnGateway()]);
    started.push(...[one, two].map(({ child }) => ({ stop: () => stopProcess(child) })));
    const codes = [
      ...(await statuses(one.url, 2)),
      ...(await statuses(two.url, 2)),
      ...(await statuses(one.url, 1)),
      ...(await statuses(two.url, 1)),
    ];
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('answers introspection only where it is on (off by default in production)', async () => {
    expect(loadGatewayConfig({ NODE_ENV: 'production', INTERNAL_AUTH_SECRET: 'x'.repeat(32) }).introspection).toBe(
      false,
    );
    expect(loadGatewayConfig({}).introspection).toBe(true);
    const closed = await gatewayWith({ introspection: false });
    const result = await graphql(closed.url, '{ __schema { queryType { name } } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
    expect((await graphqlOk(closed.url, '{ members { totalCount } }')).members.totalCount).toBeGreaterThan(0);
  });
});

describe('GraphQL over HTTP', () => {
  it('passes the graphql-http server audit no worse than a plain Apollo Server', async () => {
    // The reference: Apollo Server with nothing of ours, same version, same HTTP integration.
    const plain = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'x' } },
    });
    await plain.start();
    const app = express();
    app.use('/graphql', express.json(), expressMiddleware(plain));
    const { server, port } = await listen(app, 0, '127.0.0.1');
    try {
      const failures = async (target: string) =>
        (await auditServer({ url: target }))
          .filter((r) => r.status === 'error' || r.status === 'warn')
          .map((r) => `${r.status} ${r.id} ${r.name}`)
          .sort();
      const reference = await failures(`http://127.0.0.1:${port}/graphql`);
      const ours = await failures(url);
      expect(ours.filter((f) => !reference.includes(f))).toEqual([]);
    } finally {
      await plain.stop();
      await closeServer(server);
    }
  });
});

describe('logs', () => {
  it('never contain a key, a token or the internal secret, even at trace level', async () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => void lines.push(line) };
    const logger = createLogger('gateway', 'trace', destination);
    const gateway = await startGateway(testGatewayConfig(network.subgraphs, { logLevel: 'trace' }), { logger });
    try {
      const token = await network.credential({ role: 'COORDINATOR', label: 'log test', kind: 'TOKEN' });
      const secrets = [as.editor.authorization!, token.authorization!, as.coordinator.authorization!].map((h) =>
        h.replace('Bearer ', ''),
      );
      for (const headers of [as.editor, token, as.coordinator, { authorization: 'Bearer kbg_wrong-key-0123456789' }])
        await graphql(gateway.url, '{ members { totalCount } person(id: "x") { email } }', {}, headers);
      // A failing node call and a refused credential both log.
      await graphql(gateway.url, '{ catalogueRecord(id: "nobody:1") { title } }', {}, as.coordinator);
      const text = lines.join('');
      expect(lines.length).toBeGreaterThan(0);
      for (const secret of [...secrets, TEST_INTERNAL_SECRET, 'kbg_wrong-key-0123456789']) {
        expect(text.includes(secret)).toBe(false);
      }
    } finally {
      await gateway.stop();
    }
  });
});

describe('audit log', () => {
  const AUDIT = `query($op: String, $m: String) { auditLog(operation: $op, memberCode: $m, first: 100) {
    at role credentialId memberCode operation target arguments outcome } }`;
  const entries = async (variables: Record<string, unknown>) =>
    (await graphqlOk(url, AUDIT, variables, as.coordinator)).auditLog as Array<Record<string, string | null>>;

  it('records every mutation — who, what, when, on what, how it ended — for coordinators to read', async () => {
    const website = `https://kemrsl.ru/${next()}`;
    const done = await graphql(
      url,
      'mutation($id: ID!, $w: String) { updateMember(id: $id, input: { website: $w }) { id } }',
      { id: KEMRSL, w: website },
      as.editor,
    );
    expect(done.errors).toBeUndefined();
    await graphql(url, 'mutation($id: ID!) { changeMemberStatus(id: $id, status: ACTIVE) { id } }', { id: KEMRSL });
    let found: Array<Record<string, string | null>> = [];
    for (let i = 0; i < 50; i++) {
      found = await entries({ op: 'updateMember', m: 'kemrsl' });
      if (found.some((e) => e.arguments!.includes(website))) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const mine = found.find((e) => e.arguments!.includes(website))!;
    expect(mine).toMatchObject({
      role: 'EDITOR',
      memberCode: 'kemrsl',
      operation: 'updateMember',
      target: KEMRSL,
      outcome: 'OK',
    });
    expect(mine.credentialId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(mine.at!)).toBeLessThan(60_000);
    // A refused one is in the log too, with how it ended.
    for (let i = 0; i < 50; i++) {
      const refusedEntries = (await entries({ op: 'changeMemberStatus' })).filter((e) => e.role === 'ANONYMOUS');
      if (refusedEntries.length) {
        expect(refusedEntries[0]).toMatchObject({ outcome: 'UNAUTHENTICATED', target: KEMRSL });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (i === 49) throw new Error('the refused mutation was not recorded');
    }
  });

  it('is for coordinators only', async () => {
    for (const role of ['anonymous', 'editor'] as const) {
      const result = await graphql(url, AUDIT, {}, as[role]);
      expect(result.errors?.[0]?.extensions?.code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    const direct = await graphql(
      network.subgraphs.members!.url,
      'mutation { _recordAudit(entries: []) }',
      {},
      signedAs({ role: 'COORDINATOR' }),
    );
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('catalogue imports through the gateway', () => {
  const file = () =>
    Buffer.concat(
      [...generateCatalogue({ member: 'kemrsl', records: 30, seed: 7, flavour: 'RUSMARC', encoding: 'UTF-8' })].map(
        (r) => r.iso,
      ),
    );
  const post = (headers: Record<string, string>, member = 'kemrsl') =>
    fetch(`${new URL(url).origin}/catalogue/${member}/import?source=security-test`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...headers },
      body: file(),
    });

  it('lets the member’s editor and coordinators import with their key, and nobody else', async () => {
    expect((await post({})).status).toBe(401);
    expect((await post(as.otherEditor)).status).toBe(403);
    const response = await post(as.editor);
    expect(response.status).toBe(200);
    const report = JSON.parse((await response.text()).trim().split('\n').at(-1)!).report;
    expect(report).toMatchObject({ status: 'SUCCEEDED', read: 30, rejected: 0, source: 'security-test' });
    const again = await post(as.coordinator);
    expect(JSON.parse((await again.text()).trim().split('\n').at(-1)!).report).toMatchObject({ unchanged: 30 });
    // And the import is in the audit log.
    for (let i = 0; i < 50; i++) {
      const log = (
        await graphqlOk(
          url,
          '{ auditLog(operation: "catalogueImport") { role memberCode target outcome } }',
          {},
          as.coordinator,
        )
      ).auditLog;
      if (log.some((e: { role: string; outcome: string }) => e.role === 'EDITOR' && e.outcome === 'OK')) {
        expect(log).toEqual(
          expect.arrayContaining([
            { role: 'EDITOR', memberCode: 'kemrsl', target: 'kemrsl', outcome: 'OK' },
            { role: 'ANONYMOUS', memberCode: null, target: 'kemrsl', outcome: 'UNAUTHENTICATED' },
          ]),
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the import was not recorded');
  });
});
