import type { Client } from 'graphql-ws';
import { memberId } from '../scripts/demo/members';
import { generatedCatalogue, uploadBytes } from './testkit/catalogue';
import { graphqlOk } from './testkit/graphql';
import { liveClient, subscribe } from './testkit/live';
import { startTestNetwork, testGatewayConfig, type TestNetwork } from './testkit/network';
import { loadTestConfig } from './testkit/config';
import { startTestSubgraph } from './testkit/subgraph';
import { type RunningGateway, startGateway } from '../gateway';
import { referenceSubgraph } from '../subgraphs/reference';

/*
 * The reference desk live, through the gateway over real WebSockets: a reader follows their enquiry, a
 * library its desk; every event is completed by the gateway's own planning (the library's name from the
 * members subgraph, linked records from their catalogue node, with `heldBy`); subscriptions without the
 * right to see are refused when they are made.
 */

let network: TestNetwork;
let url: string;
let kemrsl: Record<string, string>;
let kemgik: Record<string, string>;
let recordId: string;
const clients: Client[] = [];
const KEMRSL = memberId('kemrsl');
const KEMGIK = memberId('kemgik');

beforeAll(async () => {
  network = await startTestNetwork('reference-live', {
    catalogueNodes: [['kemrsl']],
    beforeGateway: async ({ catalogueNodes }) => {
      await uploadBytes(catalogueNodes.kemrsl!, 'kemrsl', generatedCatalogue('kemrsl', 5, 17));
    },
  });
  url = network.gateway.url;
  kemrsl = await network.credential({ role: 'EDITOR', memberCode: 'kemrsl', label: 'kemrsl desk' });
  kemgik = await network.credential({ role: 'EDITOR', memberCode: 'kemgik', label: 'kemgik desk' });
  const found = await graphqlOk(url, '{ catalogueSearch(query: "", first: 1) { hits { record { id } } } }');
  recordId = found.catalogueSearch.hits[0].record.id;
}, 120_000);

afterAll(async () => {
  for (const made of clients) await made.dispose();
  await network?.stop();
});

const client = (headers: Record<string, string> = {}) => {
  const made = liveClient(url, headers);
  clients.push(made);
  return made;
};

const ASK = `mutation($input: AskQuestionInput!) { askReferenceQuestion(input: $input) { readerToken enquiry { id } } }`;
const FOLLOW = `subscription($t: String) { enquiryEvents(readerToken: $t) {
  kind
  enquiry { status readerName assignedTo { code name } linkedRecords { id title owner { code name } } }
  message { author text library { name } }
} }`;
const DESK = `subscription($m: ID!) { referenceQueueEvents(memberId: $m) {
  kind enquiry { id status question readerName } message { text }
} }`;

async function ask(preferredLibraryId: string, question = 'Где найти воспоминания горняков Прокопьевска?') {
  const { askReferenceQuestion } = await graphqlOk(url, ASK, {
    input: { question, readerName: 'Петров Иван', readerContact: 'ivan@example.org', preferredLibraryId },
  });
  return askReferenceQuestion as { readerToken: string; enquiry: { id: string } };
}

describe('the reference desk live', () => {
  it('shows the reader the library’s work and answer as it happens, completed across subgraphs and nodes', async () => {
    const asked = await ask(KEMRSL);
    const reader = subscribe(client(), FOLLOW, { t: asked.readerToken });
    // First the enquiry as it is now: from then on nothing is missed.
    expect((await reader.next()).data?.enquiryEvents).toMatchObject({
      kind: 'SUBSCRIBED',
      enquiry: { status: 'NEW', readerName: 'Петров Иван', assignedTo: null },
      message: null,
    });

    await graphqlOk(
      url,
      'mutation($id: ID!, $m: ID!) { takeEnquiry(id: $id, memberId: $m) { id } }',
      {
        id: asked.enquiry.id,
        m: KEMRSL,
      },
      kemrsl,
    );
    const taken = (await reader.next()).data?.enquiryEvents;
    expect(taken).toMatchObject({
      kind: 'TAKEN',
      enquiry: { status: 'ASSIGNED', assignedTo: { code: 'kemrsl' } },
      message: { author: 'SYSTEM' },
    });
    // The library's name comes from the members subgraph, through the gateway's planning.
    expect(taken.enquiry.assignedTo.name).toMatch(/библиотека/i);

    await graphqlOk(
      url,
      'mutation($id: ID!, $r: [ID!]) { answerEnquiry(id: $id, text: "Смотрите сборник воспоминаний в нашем фонде.", recordIds: $r) { id } }',
      { id: asked.enquiry.id, r: [recordId] },
      kemrsl,
    );
    const answered = (await reader.next()).data?.enquiryEvents;
    expect(answered).toMatchObject({
      kind: 'ANSWERED',
      enquiry: { status: 'ANSWERED', linkedRecords: [{ id: recordId, owner: { code: 'kemrsl' } }] },
      message: { author: 'LIBRARIAN', text: 'Смотрите сборник воспоминаний в нашем фонде.' },
    });
    // The linked record was resolved at kemrsl's own catalogue node.
    expect(answered.enquiry.linkedRecords[0].title).toEqual(expect.any(String));
    expect(answered.message.library.name).toBe(taken.enquiry.assignedTo.name);
    reader.close();
  });

  it('shows a library its desk: new questions routed to it, and nothing of other libraries’ desks', async () => {
    const desk = subscribe(client(kemgik), DESK, { m: KEMGIK });
    expect((await desk.next()).data?.referenceQueueEvents).toMatchObject({ kind: 'SUBSCRIBED', enquiry: null });
    const other = await ask(KEMRSL, 'Вопрос для КемОНБ');
    const mine = await ask(KEMGIK, 'Вопрос для КемГИК');
    const event = (await desk.next()).data?.referenceQueueEvents;
    // kemrsl's enquiry never reached kemgik's desk: the first event is its own.
    expect(event).toMatchObject({ kind: 'ASKED', enquiry: { id: mine.enquiry.id, question: 'Вопрос для КемГИК' } });
    expect(event.enquiry.id).not.toBe(other.enquiry.id);
    // Not taken yet: the reader's name is not for the desk.
    expect(event.enquiry.readerName).toBeNull();

    // Passed away from kemgik, it tells kemgik's desk that it left.
    await graphqlOk(
      url,
      'mutation($id: ID!, $to: ID!) { passEnquiry(id: $id, toMemberId: $to) { id } }',
      {
        id: mine.enquiry.id,
        to: KEMRSL,
      },
      kemgik,
    );
    expect((await desk.next()).data?.referenceQueueEvents).toMatchObject({
      kind: 'PASSED',
      enquiry: { id: mine.enquiry.id, status: 'NEW' },
    });
    desk.close();
  });

  it('refuses subscriptions without the right to see, when they are made', async () => {
    const asked = await ask(KEMRSL);
    const refusals = [
      // An anonymous caller knowing the id.
      subscribe(client(), 'subscription($id: ID) { enquiryEvents(id: $id) { kind } }', { id: asked.enquiry.id }),
      // A wrong token.
      subscribe(client(), 'subscription($t: String) { enquiryEvents(readerToken: $t) { kind } }', {
        t: `${asked.readerToken}x`,
      }),
      // An editor of another library's desk.
      subscribe(client(kemgik), DESK, { m: KEMRSL }),
    ];
    const codes = [];
    for (const refused of refusals) {
      const first = await refused.next();
      expect(first.data ?? null).toBeNull();
      codes.push(first.errors?.[0]?.extensions?.code);
      await refused.ended;
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'BAD_USER_INPUT', 'FORBIDDEN']);
  });

  it('answers bad operations with stable codes, and carries only subscriptions', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['subscription { enquiryEvents(readerToken: "x") { nope } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['subscription { enquiryEvents(', {}, 'GRAPHQL_PARSE_FAILED'],
      ['{ members(first: 1) { totalCount } }', {}, 'BAD_REQUEST'],
    ];
    for (const [query, variables, code] of cases) {
      const live = subscribe(client(), query, variables);
      expect((await live.next()).errors?.[0]?.extensions?.code).toBe(code);
    }
    // A forged credential is refused at connection (graphql-ws closes with 4403).
    const forged = subscribe(client({ authorization: 'Bearer kbg_forged_0000000000000000' }), DESK, { m: KEMRSL });
    await expect(forged.ended).resolves.toMatchObject({ code: 4403 });
  });

  it('records every subscription made in the audit log, without the reader’s token', async () => {
    const asked = await ask(KEMRSL);
    const reader = subscribe(client(), FOLLOW, { t: asked.readerToken });
    await reader.next();
    reader.close();
    const log = async () =>
      (await graphqlOk(url, '{ auditLog(first: 50) { operation arguments outcome role } }', {}, network.coordinator))
        .auditLog as Array<Record<string, string>>;
    let entries: Array<Record<string, string>> = [];
    for (let i = 0; i < 50 && !entries.some((e) => e.operation === 'enquiryEvents'); i++) {
      entries = await log();
      await new Promise((r) => setTimeout(r, 100));
    }
    const entry = entries.find((e) => e.operation === 'enquiryEvents');
    expect(entry).toMatchObject({ outcome: 'OK', role: 'ANONYMOUS' });
    expect(entry!.arguments).not.toContain(asked.readerToken);
  });
});

describe('several gateways and reference replicas', () => {
  it('deliver every event once to every subscriber, whichever replica stored it (Redis pub/sub)', async () => {
    const redisUrl = loadTestConfig().TEST_REDIS_URL;
    // Two replicas of the reference subgraph on the same database, each with its own gateway: nothing is
    // shared in memory, only Redis.
    const replicas = await Promise.all(
      [1, 2].map(() => startTestSubgraph(referenceSubgraph, network.db, { redisUrl })),
    );
    const gateways = await Promise.all(
      replicas.map((replica) =>
        startGateway(testGatewayConfig({ ...network.subgraphs, reference: { name: 'reference', url: replica.url } })),
      ),
    );
    try {
      const [first, second] = gateways as [RunningGateway, RunningGateway];
      const editor = await network.credential({ role: 'EDITOR', memberCode: 'kemrsl', label: 'replicas' });
      const desks = gateways.map((g) => {
        const made = liveClient(g.url, editor);
        clients.push(made);
        return subscribe(made, DESK, { m: KEMRSL });
      });
      for (const desk of desks) expect((await desk.next()).data?.referenceQueueEvents.kind).toBe('SUBSCRIBED');
      // Asked through the first gateway (first replica), then through the second.
      for (const [i, g] of [first, second].entries()) {
        await graphqlOk(g.url, ASK, {
          input: {
            question: `Вопрос №${i + 1}`,
            readerName: 'Читатель',
            readerContact: 'r@example.org',
            preferredLibraryId: KEMRSL,
          },
        });
      }
      for (const desk of desks) {
        // Each desk gets each question once, in order: a duplicate of the first would come before the second.
        const questions = [(await desk.next()).data, (await desk.next()).data].map(
          (d) => d?.referenceQueueEvents.enquiry.question,
        );
        expect(questions).toEqual(['Вопрос №1', 'Вопрос №2']);
        desk.close();
      }
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });
});
