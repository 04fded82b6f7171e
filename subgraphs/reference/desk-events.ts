import { randomUUID } from 'node:crypto';
import { Arg, Ctx, Field, ID, ObjectType, Resolver, Root, Subscription, registerEnumType } from 'type-graphql';
import { badUserInput } from '../../lib/errors';
import { actsFor, authorise } from '../../lib/identity';
import type { SubgraphContext } from '../../lib/subgraph';
import { validate } from '../../lib/validation';
import { DESK, enquiryOfReader, readerSees, staff } from './access';
import { Enquiry, EnquiryMessage } from './enquiry.entity';
import { uuidSchema } from './enquiry.inputs';
import { EnquiryStatus } from './enums';
import type { DeskEvent, DeskEvents } from './events';

/** What the desk's resolvers get besides the usual context: the event bus of the replicas. */
export type DeskContext = SubgraphContext & { events: DeskEvents };

export enum EnquiryEventKind {
  SUBSCRIBED = 'SUBSCRIBED',
  ASKED = 'ASKED',
  REPLIED = 'REPLIED',
  TAKEN = 'TAKEN',
  PASSED = 'PASSED',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
  REJECTED = 'REJECTED',
}

registerEnumType(EnquiryEventKind, {
  name: 'EnquiryEventKind',
  description: 'What happened to an enquiry.',
  valuesConfig: {
    SUBSCRIBED: {
      description:
        'Sent first on every subscription: from now on every change is delivered (for one enquiry: its state now).',
    },
    ASKED: { description: 'A reader asked a new question.' },
    REPLIED: { description: 'The reader wrote to the library.' },
    TAKEN: { description: 'A library took the enquiry.' },
    PASSED: { description: 'The enquiry was passed on to another library.' },
    ANSWERED: { description: 'The library answered.' },
    CLOSED: { description: 'The enquiry was closed.' },
    REJECTED: { description: 'The enquiry was rejected, with a reason.' },
  },
});

@ObjectType({ description: 'A change at the reference desk, as subscribers receive it.' })
export class EnquiryEvent {
  @Field(() => EnquiryEventKind, { description: 'What happened.' })
  kind!: EnquiryEventKind;

  @Field({ description: 'When it happened.' })
  at!: Date;

  @Field(() => Enquiry, {
    nullable: true,
    description: 'The enquiry as it is after the change (null on a queue’s SUBSCRIBED event).',
  })
  enquiry!: Enquiry | null;

  @Field(() => EnquiryMessage, { nullable: true, description: 'The message the change added, if any.' })
  message!: EnquiryMessage | null;
}

/** The libraries whose desks an enquiry concerns now: those it is routed to, or the one that took it. */
export const desksOf = (enquiry: Enquiry): string[] =>
  enquiry.assignedMemberId ? [enquiry.assignedMemberId] : [...enquiry.routedMemberIds];

/**
 * Tells every replica's subscribers of a change, once it is stored: `before` are the desks the enquiry
 * concerned before it (a desk it was passed away from hears that it left).
 */
export async function tell(
  ctx: SubgraphContext,
  enquiry: Enquiry,
  kind: EnquiryEventKind,
  message: EnquiryMessage | null,
  before: string[] = [],
): Promise<void> {
  const { events } = ctx as DeskContext;
  const network = enquiry.status === EnquiryStatus.NEW && !enquiry.routedMemberIds.length;
  await events.publish({
    enquiryId: enquiry.id,
    kind,
    messageId: message?.id ?? null,
    at: new Date().toISOString(),
    members: [...new Set([...before, ...desksOf(enquiry)])],
    network,
  });
}

const subscribed = (enquiryId: string): DeskEvent => ({
  enquiryId,
  kind: EnquiryEventKind.SUBSCRIBED,
  messageId: null,
  at: new Date().toISOString(),
  members: [],
  network: false,
});

// A queue's SUBSCRIBED event names no enquiry.
const QUEUE = randomUUID();

interface EnquiryEventsArgs {
  readerToken?: string | null;
  id?: string | null;
}

@Resolver(() => EnquiryEvent)
export class DeskEventsResolver {
  @Subscription(() => EnquiryEvent, {
    description:
      'Follows one enquiry live: its new messages and changes of status. A reader follows their own with their secret token; the libraries’ editors and coordinators by id. Refused at once without the right to see it.',
    subscribe: async ({ args, context }) => {
      const ctx = context as DeskContext;
      const id = await followedEnquiry(ctx, args as EnquiryEventsArgs);
      return ctx.events.subscribe((event) => event.enquiryId === id, [subscribed(id)]);
    },
  })
  async enquiryEvents(
    @Root() event: DeskEvent,
    @Ctx() ctx: DeskContext,
    @Arg('readerToken', () => String, { nullable: true, description: 'The reader’s secret token.' })
    readerToken?: string | null,
    @Arg('id', () => ID, { nullable: true, description: 'Id of the enquiry (for the libraries’ desk).' })
    _id?: string | null,
  ): Promise<EnquiryEvent> {
    const resolved = await resolveEvent(ctx, event);
    // The reader following their own enquiry sees their own name and contact in it, as in `readerEnquiry`.
    if (readerToken && resolved.enquiry) readerSees(resolved.enquiry);
    return resolved;
  }

  @Subscription(() => EnquiryEvent, {
    description:
      'Follows a library’s desk live: enquiries arriving in its queue or the network’s, taken, passed on, answered and written to (an editor for their own library; coordinators for any).',
    subscribe: ({ args, context }) => {
      const ctx = context as DeskContext;
      const member = validate(uuidSchema('a member'), (args as { memberId: string }).memberId, 'memberId');
      authorise(ctx.identity, actsFor(ctx.identity, member), 'follow this library’s reference desk');
      return ctx.events.subscribe((event) => event.network || event.members.includes(member), [subscribed(QUEUE)]);
    },
  })
  async referenceQueueEvents(
    @Root() event: DeskEvent,
    @Ctx() ctx: DeskContext,
    @Arg('memberId', () => ID, { description: 'Id of the member library.' }) _memberId: string,
  ): Promise<EnquiryEvent> {
    return resolveEvent(ctx, event);
  }
}

/** The enquiry a subscriber may follow, by the reader's token or, for the desk's staff, by id. */
async function followedEnquiry(ctx: DeskContext, { readerToken, id }: EnquiryEventsArgs): Promise<string> {
  if (readerToken) {
    const enquiry = await enquiryOfReader(ctx.em, readerToken);
    if (!enquiry) throw badUserInput('readerToken', 'readerToken: not the token of an enquiry');
    return enquiry.id;
  }
  if (!id) throw badUserInput('id', 'Give the enquiry’s id, or the reader’s token');
  authorise(ctx.identity, staff(ctx.identity), DESK);
  const valid = validate(uuidSchema('an enquiry'), id, 'id');
  const enquiry = await ctx.em.findOne(Enquiry, { id: valid });
  if (!enquiry) throw badUserInput('id', `id: there is no enquiry ${valid}`);
  return enquiry.id;
}

/** An event with its enquiry and message as they are now (each event has its own context, read afresh). */
async function resolveEvent(ctx: DeskContext, event: DeskEvent): Promise<EnquiryEvent> {
  const [enquiry, message] = await Promise.all([
    event.enquiryId === QUEUE ? null : ctx.em.findOne(Enquiry, { id: event.enquiryId }),
    event.messageId ? ctx.em.findOne(EnquiryMessage, { id: event.messageId }) : null,
  ]);
  return Object.assign(new EnquiryEvent(), {
    kind: event.kind as EnquiryEventKind,
    at: new Date(event.at),
    enquiry,
    message,
  });
}
