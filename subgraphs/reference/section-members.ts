import { z } from 'zod';
import { type HttpAnswer, HttpPoster } from '../../lib/http-post';
import { IDENTITY_HEADER, SERVICE, signIdentity } from '../../lib/identity';
import type { Logger } from '../../lib/logger';
import { type ReferenceSectionSettings, referenceSectionSettings } from './config';

/*
 * The members of the partnership's reference and bibliographic service section, who answer the enquiries on
 * topics no library declared. Sections are the sections subgraph's, and a subgraph never reads another's code or
 * database (docs/ARCHITECTURE.md): the desk asks the sections subgraph over HTTP, as the network's own process
 * (a SERVICE identity signed with the internal secret), for the section configured (REFERENCE_SECTION_ID).
 *
 * Other designs were weighed: the gateway could pass the section's members along with the question, but the
 * gateway composes and forwards, it does not enrich mutations with other subgraphs' data; the section's
 * libraries could declare the whole classification as their topics, but then they would get every enquiry
 * before (not after) the libraries that declared a topic, and the list would drift from the section's
 * membership. Asking the sections subgraph keeps one source of truth, with a minute's cache.
 *
 * Failing open: when the section is unknown, has no answering members or the sections subgraph does not answer
 * in time, the enquiry goes to the network queue (every library may take it) and a warning is logged. Asking a
 * question never fails because of sections.
 */

/** How long a looked-up list is used before the sections subgraph is asked again. */
export const SECTION_MEMBERS_CACHE_MS = 60_000;

/** Roles whose libraries answer the section's enquiries; observers follow its work without taking part. */
const ANSWERING_ROLES = new Set(['COORDINATOR', 'MEMBER']);

const QUERY = 'query ReferenceSectionMembers($id: ID!) { section(id: $id) { members { role member { id } } } }';

const answerSchema = z.object({
  data: z
    .object({
      section: z
        .object({ members: z.array(z.object({ role: z.string(), member: z.object({ id: z.string() }) })) })
        .nullable(),
    })
    .nullable()
    .optional(),
  errors: z.array(z.object({ message: z.string() })).optional(),
});

/** The answering members of a section in a sections subgraph's answer; null for an unknown section. */
export function answeringMembers(answer: HttpAnswer): string[] | null {
  if (answer.status !== 200) throw new Error(`HTTP ${answer.status} from the sections subgraph`);
  const body = answerSchema.parse(JSON.parse(answer.text));
  if (body.errors?.length) throw new Error(`the sections subgraph answered: ${body.errors[0]!.message}`);
  if (!body.data) throw new Error('the sections subgraph answered no data');
  if (!body.data.section) return null;
  const members = body.data.section.members.filter((m) => ANSWERING_ROLES.has(m.role)).map((m) => m.member.id);
  return [...new Set(members)].sort();
}

/** One section's answering members, looked up at the sections subgraph and kept for a minute. */
export class SectionMembers {
  private cached: { members: string[]; until: number } | undefined;
  private pending: Promise<string[]> | undefined;

  constructor(
    private readonly settings: ReferenceSectionSettings,
    private readonly transport: Pick<HttpPoster, 'post' | 'destroy'> = new HttpPoster(),
    private readonly now: () => number = Date.now,
  ) {}

  /** The members' ids, sorted; none when they cannot be known now (the network queue then). Never rejects. */
  members(logger: Logger): Promise<string[]> {
    if (this.cached && this.cached.until > this.now()) return Promise.resolve(this.cached.members);
    // Questions asked together share one request.
    this.pending ??= this.lookUp(logger).finally(() => (this.pending = undefined));
    return this.pending;
  }

  close(): void {
    this.transport.destroy();
  }

  private async lookUp(logger: Logger): Promise<string[]> {
    const { sectionId, sectionsUrl, secret, timeoutMs } = this.settings;
    let members: string[] | null;
    try {
      const answer = await this.transport.post(
        sectionsUrl,
        JSON.stringify({ query: QUERY, variables: { id: sectionId } }),
        { [IDENTITY_HEADER]: signIdentity(SERVICE, secret, this.now()) },
        timeoutMs,
      );
      members = answeringMembers(answer);
    } catch (error) {
      // Not cached: the next question asks again.
      logger.warn(
        { sectionId, sectionsUrl, reason: (error as Error).message },
        'members of the reference section unknown: the enquiry goes to the network queue',
      );
      return [];
    }
    this.cached = { members: members ?? [], until: this.now() + SECTION_MEMBERS_CACHE_MS };
    if (!members?.length) {
      logger.warn(
        { sectionId, reason: members ? 'no coordinator or members' : 'no such section' },
        'the reference section has nobody to answer: enquiries on undeclared topics go to the network queue',
      );
    }
    return this.cached.members;
  }
}

// The process's lookup: from the environment (REFERENCE_SECTION_ID, REFERENCE_SECTIONS_URL) unless configured.
// undefined: not yet read; null: no section configured.
let lookup: SectionMembers | null | undefined;

/**
 * Sets where the desk finds the reference section (none: the network queue) — for processes that start the
 * subgraph themselves (`npm start` knows the sections subgraph's URL only once it listens) and for tests.
 */
export function configureReferenceSection(settings: ReferenceSectionSettings | undefined): void {
  lookup?.close();
  lookup = settings ? new SectionMembers(settings) : null;
}

/** The answering members of the configured reference section; none when there is none or they are unknown. */
export function referenceSectionMembers(logger: Logger): Promise<string[]> {
  if (lookup === undefined) {
    const settings = referenceSectionSettings();
    lookup = settings ? new SectionMembers(settings) : null;
  }
  return lookup ? lookup.members(logger) : Promise.resolve([]);
}
