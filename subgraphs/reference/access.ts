import { createHash, randomBytes } from 'node:crypto';
import { conflict, notFound } from '../../lib/errors';
import { type Identity, actsFor, isCoordinator } from '../../lib/identity';
import type { EntityManager } from '../../lib/orm';
import type { SubgraphContext } from '../../lib/subgraph';
import { uuidSchema, validate } from '../../lib/validation';
import { Enquiry } from './enquiry.entity';
import type { EnquiryStatus } from './enums';

/*
 * Who may do what at the reference desk, and the reader's secret token: shared by the desk's resolvers, its
 * archive and the demo seed.
 */

/** Member libraries' editors and coordinators work at the desk; readers only through their token. */
export const staff = (identity: Identity): boolean => isCoordinator(identity) || identity.role === 'EDITOR';
export const DESK = 'work at the reference desk (member libraries’ editors and coordinators do)';

/** Whether the caller may work on the enquiry now: take it, pass it on, answer, close, reject, publish. */
export function works(identity: Identity, enquiry: Enquiry): boolean {
  if (isCoordinator(identity)) return true;
  if (enquiry.assignedMemberId) return actsFor(identity, enquiry.assignedMemberId);
  if (!enquiry.routedMemberIds.length) return identity.role === 'EDITOR';
  return enquiry.routedMemberIds.some((m) => actsFor(identity, m));
}

/** Loads an enquiry for a mutation: a malformed id is bad input naming `field`, an unknown one NOT_FOUND. */
export async function requireEnquiry(ctx: SubgraphContext, id: string, field = 'id'): Promise<Enquiry> {
  validate(uuidSchema('an enquiry'), id, field);
  const enquiry = await ctx.em.findOne(Enquiry, { id });
  if (!enquiry) throw notFound('Enquiry', id);
  return enquiry;
}

export function requireStatus(enquiry: Enquiry, allowed: EnquiryStatus[], what: string): void {
  if (!allowed.includes(enquiry.status)) {
    throw conflict('id', `The enquiry is ${enquiry.status}: it cannot be ${what}`);
  }
}

/** A new reader token; only its hash is stored. */
export const newReaderToken = (): string => `kbgr_${randomBytes(24).toString('base64url')}`;

export const readerTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The enquiry a reader's token opens, or null (an over-long string is no token at all). */
export function enquiryOfReader(em: EntityManager, token: string): Promise<Enquiry | null> {
  return token.length <= 200 ? em.findOne(Enquiry, { readerTokenHash: readerTokenHash(token) }) : Promise.resolve(null);
}

// Enquiries reached through their reader's token in this request (or this subscription event): their reader
// sees the personal fields. Entities are per request (a forked EntityManager), so nothing is kept across.
const byReader = new WeakSet<Enquiry>();

/** Marks an enquiry as reached by its reader. */
export function readerSees(enquiry: Enquiry): void {
  byReader.add(enquiry);
}

/** Whether the caller sees the reader's name and contact: the reader, coordinators, the assigned library. */
export function seesReader(identity: Identity, enquiry: Enquiry): boolean {
  return (
    byReader.has(enquiry) ||
    isCoordinator(identity) ||
    (!!enquiry.assignedMemberId && actsFor(identity, enquiry.assignedMemberId))
  );
}
