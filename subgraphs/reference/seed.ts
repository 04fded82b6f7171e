import { isUuid, stableId } from '../../lib/ids';
import type { EntityManager } from '../../lib/orm';
import { newReaderToken, readerTokenHash } from './access';
import { Enquiry, EnquiryMessage } from './enquiry.entity';
import { EnquiryStatus, MessageAuthor } from './enums';

export interface EnquirySeed {
  id: string;
  question: string;
  readerName: string;
  readerContact: string;
  topic?: string | null;
  preferredMemberId?: string | null;
  routedMemberIds?: string[];
  status: EnquiryStatus;
  assignedMemberId?: string | null;
  rejectReason?: string | null;
  linkedRecordIds?: string[];
  askedAt: string;
  /** After the question itself (which is the first message). */
  messages: Array<{ id: string; author: MessageAuthor; text: string; memberId?: string | null; at: string }>;
}

/**
 * Upserts the demo enquiries by id, their conversations exactly as given; running it again changes nothing.
 * Their reader tokens are random and thrown away: nobody follows a demo enquiry as its reader.
 */
export async function seedEnquiries(em: EntityManager, seeds: EnquirySeed[]): Promise<{ enquiries: number }> {
  for (const s of seeds) {
    for (const id of [s.id, s.preferredMemberId, s.assignedMemberId, ...s.messages.map((m) => m.id)]) {
      if (id != null && !isUuid(id)) throw new Error(`enquiry seed ${s.id}: ${id} is not a UUID`);
    }
  }
  await em.transactional(async (tx) => {
    const existing = new Map((await tx.find(Enquiry, { id: { $in: seeds.map((s) => s.id) } })).map((e) => [e.id, e]));
    for (const s of seeds) {
      const answers = s.messages.filter((m) => m.author === MessageAuthor.LIBRARIAN);
      // A library's first response: taking the enquiry (a system message for that library) or answering it.
      const responses = s.messages.filter((m) => m.memberId);
      const closing = [EnquiryStatus.CLOSED, EnquiryStatus.REJECTED].includes(s.status) ? s.messages.at(-1) : undefined;
      const data = {
        question: s.question,
        readerName: s.readerName,
        readerContact: s.readerContact,
        topic: s.topic ?? null,
        preferredMemberId: s.preferredMemberId ?? null,
        routedMemberIds: s.status === EnquiryStatus.NEW ? (s.routedMemberIds ?? []) : [],
        status: s.status,
        assignedMemberId: s.assignedMemberId ?? null,
        rejectReason: s.rejectReason ?? null,
        linkedRecordIds: s.linkedRecordIds ?? [],
        firstResponseAt: responses[0] ? new Date(responses[0].at) : null,
        answeredAt: answers[0] ? new Date(answers[0].at) : null,
        closedAt: closing ? new Date(closing.at) : null,
        createdAt: new Date(s.askedAt),
      };
      const enquiry = existing.get(s.id);
      if (enquiry) tx.assign(enquiry, data);
      else {
        tx.create(Enquiry, { id: s.id, ...data, readerTokenHash: readerTokenHash(newReaderToken()) });
      }
    }
    await tx.flush();
    await tx.nativeDelete(EnquiryMessage, { enquiry: { $in: seeds.map((s) => s.id) } });
    for (const s of seeds) {
      const enquiry = tx.getReference(Enquiry, s.id);
      tx.create(EnquiryMessage, {
        // The question's message, with an id derived from the enquiry's so that seeding is stable.
        id: stableId(`enquiry-question:${s.id}`),
        enquiry,
        author: MessageAuthor.READER,
        text: s.question,
        createdAt: new Date(s.askedAt),
      });
      for (const m of s.messages) {
        tx.create(EnquiryMessage, {
          id: m.id,
          enquiry,
          author: m.author,
          text: m.text,
          memberId: m.memberId ?? null,
          createdAt: new Date(m.at),
        });
      }
    }
  });
  return { enquiries: seeds.length };
}
