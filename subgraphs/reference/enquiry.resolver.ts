import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../lib/errors';
import { actsFor, authorise } from '../../lib/identity';
import type { SubgraphContext } from '../../lib/subgraph';
import { validate } from '../../lib/validation';
import {
  DESK,
  enquiryOfReader,
  newReaderToken,
  readerSees,
  readerTokenHash,
  requireEnquiry,
  seesReader,
  requireStatus,
  staff,
  works,
} from './access';
import { referenceSettings } from './config';
import { Enquiry, EnquiryMessage, ReferenceTopic } from './enquiry.entity';
import {
  AskQuestionInput,
  askQuestionSchema,
  messageSchema,
  reasonSchema,
  recordIdsSchema,
  topicsSchema,
  uuidSchema,
} from './enquiry.inputs';
import { EnquiryStatus, MessageAuthor } from './enums';
import { routeEnquiry, routesToSection } from './routing';
import { referenceSectionMembers } from './section-members';
import { EnquiryEventKind, desksOf, tell } from './desk-events';
import { CatalogueRecordRef, MemberRef } from './stubs';

@ObjectType({ description: 'A question just asked: the enquiry and the reader’s secret token, shown this once.' })
export class AskedEnquiry {
  @Field(() => Enquiry, { description: 'The new enquiry.' })
  enquiry!: Enquiry;

  @Field({
    description:
      'The reader’s secret token: with it (and only with it) the reader follows and answers their enquiry. It is not stored and cannot be shown again.',
  })
  readerToken!: string;
}

const OPEN = [EnquiryStatus.NEW, EnquiryStatus.ASSIGNED, EnquiryStatus.ANSWERED];

function note(
  ctx: SubgraphContext,
  enquiry: Enquiry,
  author: MessageAuthor,
  text: string,
  memberId?: string,
): EnquiryMessage {
  return ctx.em.create(EnquiryMessage, { enquiry, author, text, memberId: memberId ?? null });
}

@Resolver(() => Enquiry)
export class EnquiryResolver {
  @Query(() => Enquiry, {
    nullable: true,
    description: 'One enquiry by id, for the libraries’ desk (editors and coordinators); null when there is none.',
  })
  async enquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
  ): Promise<Enquiry | null> {
    authorise(ctx.identity, staff(ctx.identity), DESK);
    validate(uuidSchema('an enquiry'), id, 'id');
    return ctx.em.findOne(Enquiry, { id });
  }

  @Query(() => Enquiry, {
    nullable: true,
    description: 'The reader’s own enquiry, by the secret token they got when asking; null for an unknown token.',
  })
  async readerEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('token', { description: 'The reader’s secret token.' }) token: string,
  ): Promise<Enquiry | null> {
    const enquiry = await enquiryOfReader(ctx.em, token);
    if (enquiry) readerSees(enquiry);
    return enquiry;
  }

  @Query(() => [Enquiry], {
    nullable: true,
    description:
      'A library’s desk: the open enquiries routed to it or in the network’s queue (NEW), and those it took (ASSIGNED, ANSWERED), oldest first.',
  })
  async referenceQueue(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, { description: 'Id of the member library.' }) memberId: string,
  ): Promise<Enquiry[]> {
    const member = validate(uuidSchema('a member'), memberId, 'memberId');
    authorise(ctx.identity, actsFor(ctx.identity, member), 'see this library’s reference desk');
    // Open enquiries are few (they are answered within days), so the queue is picked from all of them.
    const open = await ctx.em.find(Enquiry, { status: { $in: OPEN } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return open.filter((e) =>
      e.status === EnquiryStatus.NEW
        ? !e.routedMemberIds.length || e.routedMemberIds.includes(member)
        : e.assignedMemberId === member,
    );
  }

  @Query(() => [String], { description: 'The BBK classes a member library answers enquiries on.' })
  async referenceTopics(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, { description: 'Id of the member library.' }) memberId: string,
  ): Promise<string[]> {
    const member = validate(uuidSchema('a member'), memberId, 'memberId');
    const topics = await ctx.em.find(ReferenceTopic, { memberId: member }, { orderBy: { bbkPrefix: 'asc' } });
    return topics.map((t) => t.bbkPrefix);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The reader’s name: for the library the enquiry is assigned to, coordinators and the reader; null for everyone else.',
  })
  readerName(@Ctx() ctx: SubgraphContext, @Root() enquiry: Enquiry): string | null {
    return seesReader(ctx.identity, enquiry) ? enquiry.readerName : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'How to reach the reader: for the library the enquiry is assigned to, coordinators and the reader; null for everyone else.',
  })
  readerContact(@Ctx() ctx: SubgraphContext, @Root() enquiry: Enquiry): string | null {
    return seesReader(ctx.identity, enquiry) ? enquiry.readerContact : null;
  }

  @FieldResolver(() => MemberRef, { nullable: true, description: 'The library the reader chose, if any.' })
  preferredLibrary(@Root() enquiry: Enquiry): MemberRef | null {
    return enquiry.preferredMemberId ? MemberRef.of(enquiry.preferredMemberId) : null;
  }

  @FieldResolver(() => [MemberRef], {
    description:
      'While NEW: the libraries whose queue the enquiry is in (empty: the network’s queue, open to every member).',
  })
  routedTo(@Root() enquiry: Enquiry): MemberRef[] {
    return enquiry.status === EnquiryStatus.NEW ? enquiry.routedMemberIds.map((id) => MemberRef.of(id)) : [];
  }

  @FieldResolver(() => MemberRef, { nullable: true, description: 'The library that took the enquiry.' })
  assignedTo(@Root() enquiry: Enquiry): MemberRef | null {
    return enquiry.assignedMemberId ? MemberRef.of(enquiry.assignedMemberId) : null;
  }

  @FieldResolver(() => [CatalogueRecordRef], {
    nullable: 'items',
    description:
      'Catalogue records the answer points to, resolved at their libraries’ catalogue nodes (null for a record no longer there).',
  })
  linkedRecords(@Root() enquiry: Enquiry): CatalogueRecordRef[] {
    return enquiry.linkedRecordIds.map((id) => CatalogueRecordRef.of(id));
  }

  @FieldResolver(() => Boolean, {
    description: 'Open (NEW or ASSIGNED) for longer than the network answers within (REFERENCE_ANSWER_WITHIN_HOURS).',
  })
  overdue(@Root() enquiry: Enquiry): boolean {
    const open = enquiry.status === EnquiryStatus.NEW || enquiry.status === EnquiryStatus.ASSIGNED;
    return open && Date.now() - enquiry.createdAt.getTime() > referenceSettings().answerWithinMs;
  }

  @FieldResolver(() => [EnquiryMessage], { description: 'The conversation, oldest first.' })
  messages(@Ctx() ctx: SubgraphContext, @Root() enquiry: Enquiry): Promise<EnquiryMessage[]> {
    return ctx.em.find(EnquiryMessage, { enquiry: enquiry.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  @Mutation(() => AskedEnquiry, {
    description:
      'Asks the network’s reference desk a question; anyone may. The enquiry goes to the library chosen, else to the libraries that answer on its topic, else to the network’s queue.',
  })
  async askReferenceQuestion(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => AskQuestionInput, { description: 'The question and how to reach the reader.' })
    input: AskQuestionInput,
  ): Promise<AskedEnquiry> {
    const data = validate(askQuestionSchema, input, 'input');
    const topics = data.preferredLibraryId || !data.topic ? [] : await ctx.em.find(ReferenceTopic, {});
    const asked = { preferredMemberId: data.preferredLibraryId, topic: data.topic };
    // A topic no library declared: the reference section's members, asked of the sections subgraph.
    const section = routesToSection(asked, topics) ? await referenceSectionMembers(ctx.logger) : [];
    const token = newReaderToken();
    const enquiry = ctx.em.create(Enquiry, {
      question: data.question,
      readerName: data.readerName,
      readerContact: data.readerContact,
      topic: data.topic,
      subject: data.subject,
      language: data.language,
      preferredMemberId: data.preferredLibraryId,
      routedMemberIds: routeEnquiry(asked, topics, section),
      readerTokenHash: readerTokenHash(token),
    });
    const message = note(ctx, enquiry, MessageAuthor.READER, data.question);
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.ASKED, message);
    readerSees(enquiry);
    return Object.assign(new AskedEnquiry(), { enquiry, readerToken: token });
  }

  @Mutation(() => Enquiry, { description: 'The reader writes to the library about their enquiry (by their token).' })
  async replyToEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('token', { description: 'The reader’s secret token.' }) token: string,
    @Arg('text', { description: 'The message (1–4000 characters).' }) text: string,
  ): Promise<Enquiry> {
    const message = validate(messageSchema, text, 'text');
    const enquiry = await enquiryOfReader(ctx.em, token);
    if (!enquiry) throw badUserInput('token', 'token: not the token of an enquiry');
    requireStatus(enquiry, OPEN, 'written to');
    // A reply to an answer reopens the conversation with the same library.
    if (enquiry.status === EnquiryStatus.ANSWERED) enquiry.status = EnquiryStatus.ASSIGNED;
    const written = note(ctx, enquiry, MessageAuthor.READER, message);
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.REPLIED, written);
    readerSees(enquiry);
    return enquiry;
  }

  @Mutation(() => Enquiry, {
    description: 'A library takes a NEW enquiry from its queue or the network’s (an editor for their own library).',
  })
  async takeEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
    @Arg('memberId', () => ID, { description: 'Id of the library taking it.' }) memberId: string,
  ): Promise<Enquiry> {
    authorise(ctx.identity, staff(ctx.identity), DESK);
    const member = validate(uuidSchema('a member'), memberId, 'memberId');
    const enquiry = await requireEnquiry(ctx, id);
    authorise(ctx.identity, actsFor(ctx.identity, member) && works(ctx.identity, enquiry), 'take this enquiry');
    requireStatus(enquiry, [EnquiryStatus.NEW], 'taken');
    const before = desksOf(enquiry);
    // Taking is the library's first response: the reader sees that a library works on the question.
    Object.assign(enquiry, {
      status: EnquiryStatus.ASSIGNED,
      assignedMemberId: member,
      routedMemberIds: [],
      firstResponseAt: enquiry.firstResponseAt ?? new Date(),
    });
    const message = note(ctx, enquiry, MessageAuthor.SYSTEM, 'A library has taken the enquiry.', member);
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.TAKEN, message, before);
    return enquiry;
  }

  @Mutation(() => Enquiry, { description: 'Passes an enquiry on to another library’s queue, with a note to it.' })
  async passEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
    @Arg('toMemberId', () => ID, { description: 'Id of the library to pass it to.' }) toMemberId: string,
    @Arg('note', () => String, { nullable: true, description: 'Why, for the next library (≤ 1000 characters).' })
    text?: string | null,
  ): Promise<Enquiry> {
    authorise(ctx.identity, staff(ctx.identity), DESK);
    const to = validate(uuidSchema('a member'), toMemberId, 'toMemberId');
    const why = text ? validate(reasonSchema, text, 'note') : null;
    const enquiry = await requireEnquiry(ctx, id);
    authorise(ctx.identity, works(ctx.identity, enquiry), 'pass this enquiry on');
    requireStatus(enquiry, [EnquiryStatus.NEW, EnquiryStatus.ASSIGNED], 'passed on');
    const before = desksOf(enquiry);
    Object.assign(enquiry, { status: EnquiryStatus.NEW, assignedMemberId: null, routedMemberIds: [to] });
    const message = note(
      ctx,
      enquiry,
      MessageAuthor.SYSTEM,
      why ? `Passed on to another library: ${why}` : 'Passed on to another library.',
    );
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.PASSED, message, before);
    return enquiry;
  }

  @Mutation(() => Enquiry, {
    description: 'The library answers the enquiry it took, optionally pointing to catalogue records.',
  })
  async answerEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
    @Arg('text', { description: 'The answer (1–4000 characters).' }) text: string,
    @Arg('recordIds', () => [ID], {
      nullable: true,
      description: 'Catalogue records the answer points to (`<member>:<control number>`, at most 50).',
    })
    recordIds?: string[] | null,
  ): Promise<Enquiry> {
    authorise(ctx.identity, staff(ctx.identity), DESK);
    const answer = validate(messageSchema, text, 'text');
    const records = validate(recordIdsSchema, recordIds, 'recordIds');
    const enquiry = await requireEnquiry(ctx, id);
    authorise(ctx.identity, !!enquiry.assignedMemberId && works(ctx.identity, enquiry), 'answer this enquiry');
    requireStatus(enquiry, [EnquiryStatus.ASSIGNED, EnquiryStatus.ANSWERED], 'answered');
    const now = new Date();
    Object.assign(enquiry, {
      status: EnquiryStatus.ANSWERED,
      answeredAt: enquiry.answeredAt ?? now,
      firstResponseAt: enquiry.firstResponseAt ?? now,
      linkedRecordIds: [...new Set([...enquiry.linkedRecordIds, ...records])],
    });
    const message = note(ctx, enquiry, MessageAuthor.LIBRARIAN, answer, enquiry.assignedMemberId!);
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.ANSWERED, message);
    return enquiry;
  }

  @Mutation(() => Enquiry, { description: 'Closes an answered enquiry.' })
  async closeEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
  ): Promise<Enquiry> {
    authorise(ctx.identity, staff(ctx.identity), DESK);
    const enquiry = await requireEnquiry(ctx, id);
    authorise(ctx.identity, !!enquiry.assignedMemberId && works(ctx.identity, enquiry), 'close this enquiry');
    requireStatus(enquiry, [EnquiryStatus.ANSWERED], 'closed');
    Object.assign(enquiry, { status: EnquiryStatus.CLOSED, closedAt: new Date() });
    const message = note(ctx, enquiry, MessageAuthor.SYSTEM, 'The enquiry is closed.');
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.CLOSED, message);
    return enquiry;
  }

  @Mutation(() => Enquiry, { description: 'Rejects an enquiry the network will not answer, with the reason.' })
  async rejectEnquiry(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
    @Arg('reason', { description: 'Why, for the reader (1–1000 characters).' }) reason: string,
  ): Promise<Enquiry> {
    authorise(ctx.identity, staff(ctx.identity), DESK);
    const why = validate(reasonSchema, reason, 'reason');
    const enquiry = await requireEnquiry(ctx, id);
    authorise(ctx.identity, works(ctx.identity, enquiry), 'reject this enquiry');
    requireStatus(enquiry, [EnquiryStatus.NEW, EnquiryStatus.ASSIGNED], 'rejected');
    const before = desksOf(enquiry);
    Object.assign(enquiry, { status: EnquiryStatus.REJECTED, rejectReason: why, closedAt: new Date() });
    const message = note(ctx, enquiry, MessageAuthor.SYSTEM, `The enquiry was rejected: ${why}`);
    await ctx.em.flush();
    await tell(ctx, enquiry, EnquiryEventKind.REJECTED, message, before);
    return enquiry;
  }

  @Mutation(() => [String], {
    description:
      'Declares the BBK classes a member library answers enquiries on (replacing the earlier list): new enquiries on them go to its queue.',
  })
  async declareReferenceTopics(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, { description: 'Id of the member library.' }) memberId: string,
    @Arg('topics', () => [String], { description: 'BBK classes (prefixes), e.g. «63.3(2Рос-4Кем)», at most 100.' })
    topics: string[],
  ): Promise<string[]> {
    const member = validate(uuidSchema('a member'), memberId, 'memberId');
    authorise(ctx.identity, actsFor(ctx.identity, member), 'change this library’s reference topics');
    const list = validate(topicsSchema, topics, 'topics');
    await ctx.em.transactional(async (tx) => {
      await tx.nativeDelete(ReferenceTopic, { memberId: member });
      for (const bbkPrefix of list) tx.create(ReferenceTopic, { memberId: member, bbkPrefix });
    });
    return [...list].sort();
  }
}

@Resolver(() => EnquiryMessage)
export class EnquiryMessageResolver {
  @FieldResolver(() => MemberRef, { nullable: true, description: 'The library a librarian wrote for.' })
  library(@Root() message: EnquiryMessage): MemberRef | null {
    return message.memberId ? MemberRef.of(message.memberId) : null;
  }

  @FieldResolver(() => Date, { description: 'When it was written.' })
  sentAt(@Root() message: EnquiryMessage): Date {
    return message.createdAt;
  }
}
