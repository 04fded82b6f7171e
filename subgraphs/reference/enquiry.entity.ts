import { ArrayType, Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { EnquiryStatus, MessageAuthor } from './enums';

/**
 * A reader's question to the network's virtual reference desk. Who may see what: the question, its topic,
 * status and conversation are for the libraries of the network; the reader's name and contact only for the
 * assigned library's editors, coordinators and the reader (through the secret token given once at asking).
 */
@ObjectType({
  description:
    'A reader’s question to the virtual reference desk (справочная служба) of the network, and its conversation with the library answering it.',
})
@Entity({ tableName: 'enquiry' })
export class Enquiry extends BaseEntity<
  | 'topic'
  | 'subject'
  | 'language'
  | 'status'
  | 'rejectReason'
  | 'preferredMemberId'
  | 'routedMemberIds'
  | 'assignedMemberId'
  | 'linkedRecordIds'
  | 'firstResponseAt'
  | 'answeredAt'
  | 'closedAt'
> {
  @Field({ description: 'The question, as the reader wrote it.' })
  @Property({ type: 'text' })
  question!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Topic as a BBK class (e.g. «63.3(2Рос-4Кем)»), when the reader or a librarian gave one.',
  })
  @Property({ type: 'text', nullable: true })
  topic: string | null = null;

  @Field(() => String, { nullable: true, description: 'Topic in words (a subject heading), when given.' })
  @Property({ type: 'text', nullable: true })
  subject: string | null = null;

  @Field({ description: 'Language of the conversation (ISO 639-2, e.g. `rus`).' })
  @Property({ type: 'text' })
  language: string = 'rus';

  @Field(() => EnquiryStatus, { description: 'Where the enquiry stands.' })
  @Enum({ items: () => EnquiryStatus })
  status: EnquiryStatus = EnquiryStatus.NEW;

  @Field(() => String, { nullable: true, description: 'Why the enquiry was rejected (REJECTED only).' })
  @Property({ type: 'text', nullable: true })
  rejectReason: string | null = null;

  /** The reader's name and contact: personal data (see the field resolvers). */
  @Property({ type: 'text' })
  readerName!: string;

  @Property({ type: 'text' })
  readerContact!: string;

  /** SHA-256 of the reader's secret token (the token itself is returned once, at asking). */
  @Property({ type: 'text', hidden: true })
  readerTokenHash!: string;

  /** The library the reader chose, if any (members subgraph). */
  @Property({ type: 'uuid', nullable: true })
  preferredMemberId: string | null = null;

  /** The libraries whose queue a NEW enquiry is in; empty: the network's queue, open to every member. */
  @Property({ type: ArrayType, columnType: 'uuid[]', defaultRaw: `'{}'` })
  routedMemberIds: string[] = [];

  /** The library that took the enquiry (ASSIGNED and after). */
  @Property({ type: 'uuid', nullable: true })
  assignedMemberId: string | null = null;

  /** Catalogue records the answer points to (`<member>:<control number>`). */
  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: `'{}'` })
  linkedRecordIds: string[] = [];

  @Field(() => Date, {
    nullable: true,
    description: 'When a library first responded: took the enquiry or answered it (the time to first response).',
  })
  @Property({ type: 'datetime', nullable: true })
  firstResponseAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the enquiry was first answered (the time to answer).' })
  @Property({ type: 'datetime', nullable: true })
  answeredAt: Date | null = null;

  @Field(() => Date, { nullable: true, description: 'When the enquiry was closed or rejected.' })
  @Property({ type: 'datetime', nullable: true })
  closedAt: Date | null = null;
}

@ObjectType({ description: 'One message of an enquiry’s conversation.' })
@Entity({ tableName: 'enquiry_message' })
export class EnquiryMessage extends BaseEntity<'memberId'> {
  @ManyToOne(() => Enquiry, { deleteRule: 'cascade' })
  enquiry!: Enquiry;

  @Field(() => MessageAuthor, { description: 'Who wrote it.' })
  @Enum({ items: () => MessageAuthor })
  author!: MessageAuthor;

  /** The library a librarian wrote for (LIBRARIAN only). */
  @Property({ type: 'uuid', nullable: true })
  memberId: string | null = null;

  @Field({ description: 'The text, stored and shown as plain text (never as HTML).' })
  @Property({ type: 'text' })
  text!: string;
}

/** A BBK class (prefix) a member library answers enquiries on: the desk routes matching enquiries to it. */
@Entity({ tableName: 'reference_topic' })
export class ReferenceTopic extends BaseEntity {
  @Property({ type: 'uuid' })
  memberId!: string;

  @Property({ type: 'text' })
  bbkPrefix!: string;
}
