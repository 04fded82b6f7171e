import type { HttpAnswer } from '../../lib/http-post';
import { HttpPostFailure } from '../../lib/http-post';
import { IDENTITY_HEADER, verifyIdentity } from '../../lib/identity';
import type { Logger } from '../../lib/logger';
import { SECTION_MEMBERS_CACHE_MS, SectionMembers } from './section-members';

const SECRET = 'section-members-test-secret-0123456789';
const SETTINGS = {
  sectionId: '7a0ac4d4-1528-5a78-b9d3-3750bdefee7d',
  sectionsUrl: 'http://sections.test/graphql',
  secret: SECRET,
  timeoutMs: 500,
};

const ok = (body: unknown, status = 200): HttpAnswer => ({ status, headers: {}, text: JSON.stringify(body) });
const membersOf = (...members: Array<[id: string, role: string]>) =>
  ok({ data: { section: { members: members.map(([id, role]) => ({ role, member: { id } })) } } });

/** A sections subgraph that answers from a script, and a clock the test moves. */
function setUp(...answers: Array<HttpAnswer | Error>) {
  const calls: Array<{ url: string; payload: string; headers: Record<string, string>; timeoutMs: number }> = [];
  let now = 1_000_000;
  const transport = {
    post: (url: string, payload: string, headers: Record<string, string>, timeoutMs: number) => {
      calls.push({ url, payload, headers, timeoutMs });
      const next = answers.shift() ?? new Error('no more answers');
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    destroy: () => undefined,
  };
  const warnings: unknown[] = [];
  const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
  const section = new SectionMembers(SETTINGS, transport, () => now);
  return { section, calls, warnings, logger, advance: (ms: number) => (now += ms) };
}

describe('SectionMembers', () => {
  it('asks the sections subgraph as the network’s service for the section’s coordinator and members, not its observers', async () => {
    const t = setUp(membersOf(['k', 'COORDINATOR'], ['m2', 'MEMBER'], ['m1', 'MEMBER'], ['o', 'OBSERVER']));
    expect(await t.section.members(t.logger)).toEqual(['k', 'm1', 'm2']);
    expect(t.calls).toHaveLength(1);
    const [call] = t.calls;
    expect(call!.url).toBe(SETTINGS.sectionsUrl);
    expect(call!.timeoutMs).toBe(500);
    expect(JSON.parse(call!.payload).variables).toEqual({ id: SETTINGS.sectionId });
    expect(verifyIdentity(call!.headers[IDENTITY_HEADER], SECRET, 1_000_000)).toEqual({
      ok: true,
      identity: { role: 'SERVICE' },
    });
    expect(t.warnings).toEqual([]);
  });

  it('keeps the list for a minute, then asks again; questions asked together share one request', async () => {
    const t = setUp(membersOf(['a', 'MEMBER']), membersOf(['b', 'MEMBER']));
    expect(await Promise.all([t.section.members(t.logger), t.section.members(t.logger)])).toEqual([['a'], ['a']]);
    t.advance(SECTION_MEMBERS_CACHE_MS - 1);
    expect(await t.section.members(t.logger)).toEqual(['a']);
    expect(t.calls).toHaveLength(1);
    t.advance(1);
    expect(await t.section.members(t.logger)).toEqual(['b']);
    expect(t.calls).toHaveLength(2);
  });

  it('gives nobody, with a warning, for a section unknown or without answering members (kept for a minute)', async () => {
    const t = setUp(ok({ data: { section: null } }), membersOf(['o', 'OBSERVER']));
    expect(await t.section.members(t.logger)).toEqual([]);
    expect(await t.section.members(t.logger)).toEqual([]);
    expect(t.calls).toHaveLength(1);
    t.advance(SECTION_MEMBERS_CACHE_MS);
    expect(await t.section.members(t.logger)).toEqual([]);
    expect(t.warnings).toHaveLength(2);
  });

  it('fails open: no answer in time, no connection, an error or a strange answer give nobody, with a warning, and are not kept', async () => {
    const t = setUp(
      new HttpPostFailure('TIMEOUT', '500'),
      new HttpPostFailure('UNREACHABLE', 'ECONNREFUSED'),
      ok({ errors: [{ message: 'database down' }] }, 200),
      ok({ data: null }, 503),
      { status: 200, headers: {}, text: '<html>' },
      ok({ data: { section: { members: 'everyone' } } }),
      membersOf(['a', 'MEMBER']),
    );
    for (let i = 0; i < 6; i++) expect(await t.section.members(t.logger)).toEqual([]);
    expect(t.warnings).toHaveLength(6);
    expect(JSON.stringify(t.warnings[0])).toContain('no answer within 500 ms');
    expect(JSON.stringify(t.warnings[2])).toContain('database down');
    // Once the sections subgraph answers again, so does the section.
    expect(await t.section.members(t.logger)).toEqual(['a']);
  });
});
