import { actsFor, authorise, isCoordinator } from '../../lib/identity';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { conflict, isUniqueViolation, notFound } from '../../lib/errors';
import type { SubgraphContext } from '../../lib/subgraph';
import { validate } from '../../lib/validation';
import { computedCounts } from './counts';
import { EventCountsSource, OrganiserKind } from './enums';
import { Event, EventOrganiserLink, EventReportedCounts } from './event.entity';
import {
  AddTalkInput,
  CreateEventInput,
  EventFilter,
  UpdateEventInput,
  addTalkSchema,
  checkEventRules,
  createEventSchema,
  eventFilterSchema,
  idSchema,
  reportedCountSchema,
  resolutionSchema,
  updateEventSchema,
} from './event.inputs';
import { EventConnection, pageEvents } from './event.queries';
import { organiserLinks, participantsOfEvent, talksOfEvent } from './loaders';
import { organiserIds, syncOrganisers, toOrganiser } from './organisers';
import { Participation } from './participation.entity';
import { EventOrganiser, MemberRef } from './stubs';
import { Talk, TalkSpeaker } from './talk.entity';

/** Loads an event for a mutation, or fails with NOT_FOUND naming the id. */
async function requireEvent(ctx: SubgraphContext, id: string): Promise<Event> {
  const event = await ctx.loaders.byId(Event).load(id);
  if (!event) throw notFound('Event', id);
  return event;
}

/** After a mutation, later fields of the same request must not see lists and counts cached before it. */
function forgetChildren(ctx: SubgraphContext, eventId: string): void {
  computedCounts(ctx).clear(eventId);
  participantsOfEvent(ctx).clear(eventId);
  talksOfEvent(ctx).clear(eventId);
  organiserLinks(ctx).clear(eventId);
}

function hasReportedCounts(event: Event): boolean {
  return event.reportedParticipants != null || event.reportedOrganisations != null || event.reportedTalks != null;
}

type CountName = 'participants' | 'organisations' | 'talks';
const reportedColumn = {
  participants: 'reportedParticipants',
  organisations: 'reportedOrganisations',
  talks: 'reportedTalks',
} as const satisfies Record<CountName, keyof Event>;

/** A reported figure when there is one, otherwise the one computed from registrations / talks (batched). */
async function count(ctx: SubgraphContext, event: Event, name: CountName): Promise<number> {
  const reported = event[reportedColumn[name]];
  if (reported != null) return reported;
  return (await computedCounts(ctx).load(event.id))[name];
}

/** Changes to an event are its host's (editor) or a coordinator's. */
function authoriseHost(ctx: SubgraphContext, event: Event, what: string): void {
  authorise(ctx.identity, actsFor(ctx.identity, event.hostMemberId), what);
}

@Resolver(() => Event)
export class EventResolver {
  @Query(() => EventConnection, {
    nullable: true,
    description:
      'Events, filtered and paged (Relay style): by start time, soonest first for upcoming, else most recent first. ' +
      'Never null from this service; null through the gateway only when the events service is unavailable.',
  })
  events(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => EventFilter, { nullable: true, description: 'Conditions to match.' })
    filter?: EventFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the item before the page.' })
    after?: string | null,
  ): Promise<EventConnection> {
    const scope = validate(eventFilterSchema, filter ?? {}, 'filter');
    return pageEvents(ctx, scope, first, after);
  }

  @Query(() => Event, { nullable: true, description: 'One event by id; null when there is none.' })
  event(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Event id.' }) id: string,
  ): Promise<Event | null> {
    return ctx.loaders.byId(Event).load(id);
  }

  @FieldResolver(() => MemberRef, { nullable: true, description: 'The member organisation hosting the event.' })
  host(@Root() event: Event): MemberRef | null {
    return event.hostMemberId ? MemberRef.of(event.hostMemberId) : null;
  }

  @FieldResolver(() => [EventOrganiser], {
    description: 'Member organisations and sections organising the event: members first, each in the order given.',
  })
  async organisers(@Ctx() ctx: SubgraphContext, @Root() event: Event): Promise<EventOrganiser[]> {
    const links = await organiserLinks(ctx).load(event.id);
    return links.map(toOrganiser);
  }

  @FieldResolver(() => [Talk], { description: 'The programme: talks in order.' })
  talks(@Ctx() ctx: SubgraphContext, @Root() event: Event): Promise<Talk[]> {
    return talksOfEvent(ctx).load(event.id);
  }

  @FieldResolver(() => [Participation], {
    description:
      'Registered participants, in order of registration (personal data): all of them for coordinators, an editor’s own member’s people for an editor, none for anonymous callers.',
  })
  async participants(@Ctx() ctx: SubgraphContext, @Root() event: Event): Promise<Participation[]> {
    if (ctx.identity.role === 'ANONYMOUS') return [];
    const all = await participantsOfEvent(ctx).load(event.id);
    return isCoordinator(ctx.identity) ? all : all.filter((p) => actsFor(ctx.identity, p.organisationId));
  }

  @FieldResolver(() => Int, {
    description: 'Number of participants: the reported figure when there is one, else the registrations.',
  })
  participantsCount(@Ctx() ctx: SubgraphContext, @Root() event: Event): Promise<number> {
    return count(ctx, event, 'participants');
  }

  @FieldResolver(() => Int, {
    description:
      'Number of organisations taking part: the reported figure when there is one, else the distinct organisations of the registered participants.',
  })
  organisationsCount(@Ctx() ctx: SubgraphContext, @Root() event: Event): Promise<number> {
    return count(ctx, event, 'organisations');
  }

  @FieldResolver(() => Int, {
    description: 'Number of talks: the reported figure when there is one, else the programme.',
  })
  talksCount(@Ctx() ctx: SubgraphContext, @Root() event: Event): Promise<number> {
    return count(ctx, event, 'talks');
  }

  @FieldResolver(() => EventCountsSource, {
    description: 'REPORTED when any figure has been reported for the event (see reportedCounts), else REGISTRATIONS.',
  })
  countsSource(@Root() event: Event): EventCountsSource {
    return hasReportedCounts(event) ? EventCountsSource.REPORTED : EventCountsSource.REGISTRATIONS;
  }

  @FieldResolver(() => EventReportedCounts, {
    nullable: true,
    description: 'The figures reported for the event as given; null when none were reported.',
  })
  reportedCounts(@Root() event: Event): EventReportedCounts | null {
    if (!hasReportedCounts(event)) return null;
    return {
      participants: event.reportedParticipants ?? null,
      organisations: event.reportedOrganisations ?? null,
      talks: event.reportedTalks ?? null,
    };
  }

  @Mutation(() => Event, { description: 'Creates an event with its organisers.' })
  async createEvent(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateEventInput, { description: 'The event.' }) input: CreateEventInput,
  ): Promise<Event> {
    const data = validate(createEventSchema, input, 'input');
    // An editor creates the events its own member hosts.
    authorise(ctx.identity, actsFor(ctx.identity, data.hostMemberId), 'create an event not hosted by your member');
    checkEventRules(data, 'input');
    const { organiserMemberIds, organiserSectionIds, ...fields } = data;
    const event = ctx.em.create(Event, fields);
    syncOrganisers(ctx.em, event, [], organiserMemberIds, organiserSectionIds);
    await ctx.em.flush();
    return event;
  }

  @Mutation(() => Event, { description: 'Changes an event; organiser lists given replace the current ones.' })
  async updateEvent(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Event id.' }) id: string,
    @Arg('input', () => UpdateEventInput, { description: 'The changes.' }) input: UpdateEventInput,
  ): Promise<Event> {
    const data = validate(updateEventSchema, input, 'input');
    const event = await requireEvent(ctx, id);
    authoriseHost(ctx, event, 'change this event');
    if (data.hostMemberId !== undefined) {
      authorise(ctx.identity, actsFor(ctx.identity, data.hostMemberId), 'hand the event to another member');
    }
    const { organiserMemberIds, organiserSectionIds, ...fields } = data;
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    checkEventRules(
      {
        format: fields.format ?? event.format,
        startsAt: fields.startsAt ?? event.startsAt,
        endsAt: fields.endsAt ?? event.endsAt,
        venueAddress: fields.venueAddress === undefined ? event.venueAddress : fields.venueAddress,
        onlineUrl: fields.onlineUrl === undefined ? event.onlineUrl : fields.onlineUrl,
      },
      'input',
    );
    ctx.em.assign(event, changes);
    if (organiserMemberIds !== undefined || organiserSectionIds !== undefined) {
      const existing = await ctx.em.find(EventOrganiserLink, { event: event.id });
      syncOrganisers(
        ctx.em,
        event,
        existing,
        organiserMemberIds === undefined ? organiserIds(existing, OrganiserKind.MEMBER) : (organiserMemberIds ?? []),
        organiserSectionIds === undefined ? organiserIds(existing, OrganiserKind.SECTION) : (organiserSectionIds ?? []),
      );
    }
    await ctx.em.flush();
    forgetChildren(ctx, event.id);
    return event;
  }

  @Mutation(() => Event, { description: 'Registers a person as a participant of an event (once per person).' })
  async registerParticipant(
    @Ctx() ctx: SubgraphContext,
    @Arg('eventId', () => ID, { description: 'Event id.' }) eventId: string,
    @Arg('personId', () => ID, { description: 'The participant (person id).' }) personId: string,
    @Arg('organisationId', () => ID, {
      nullable: true,
      description: 'The member organisation the participant comes from (member id).',
    })
    organisationId?: string | null,
  ): Promise<Event> {
    const person = validate(idSchema('person'), personId, 'personId');
    const organisation = validate(idSchema('member').nullish(), organisationId, 'organisationId');
    const event = await requireEvent(ctx, eventId);
    // Coordinators register anyone; an editor registers its own member's people.
    authorise(ctx.identity, actsFor(ctx.identity, organisation), 'register participants of another member');
    const duplicate = () => conflict('personId', `Person ${person} is already registered for event ${event.id}`);
    if (await ctx.em.count(Participation, { event: event.id, personId: person })) throw duplicate();
    ctx.em.create(Participation, { event, personId: person, organisationId: organisation ?? null });
    try {
      await ctx.em.flush();
    } catch (error) {
      // A concurrent registration of the same person loses the race here; the transaction rolled back.
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
    forgetChildren(ctx, event.id);
    return event;
  }

  @Mutation(() => Talk, { description: 'Adds a talk with its speakers to an event’s programme.' })
  async addTalk(
    @Ctx() ctx: SubgraphContext,
    @Arg('eventId', () => ID, { description: 'Event id.' }) eventId: string,
    @Arg('input', () => AddTalkInput, { description: 'The talk.' }) input: AddTalkInput,
  ): Promise<Talk> {
    const data = validate(addTalkSchema, input, 'input');
    const event = await requireEvent(ctx, eventId);
    authoriseHost(ctx, event, 'change this event’s programme');
    let order = data.order;
    if (order == null) {
      const last = await ctx.em.findOne(Talk, { event: event.id }, { orderBy: { order: 'desc' } });
      order = (last?.order ?? 0) + 1;
    }
    const taken = () => conflict('input.order', `Event ${event.id} already has a talk at position ${order}`);
    if (data.order != null && (await ctx.em.count(Talk, { event: event.id, order }))) throw taken();
    const talk = ctx.em.create(Talk, { event, title: data.title, order, abstract: data.abstract ?? null });
    data.speakers.forEach((speaker, position) =>
      ctx.em.create(TalkSpeaker, {
        talk,
        personId: speaker.personId,
        organisationId: speaker.organisationId ?? null,
        position,
      }),
    );
    try {
      await ctx.em.flush();
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
    forgetChildren(ctx, event.id);
    return talk;
  }

  @Mutation(() => Event, { description: 'Publishes (or replaces) the resolution of an event and dates it now.' })
  async publishResolution(
    @Ctx() ctx: SubgraphContext,
    @Arg('eventId', () => ID, { description: 'Event id.' }) eventId: string,
    @Arg('text', { description: 'Text of the resolution; not empty.' }) text: string,
  ): Promise<Event> {
    const resolution = validate(resolutionSchema, text, 'text');
    const event = await requireEvent(ctx, eventId);
    authoriseHost(ctx, event, 'publish this event’s resolution');
    event.resolution = resolution;
    event.resolutionPublishedAt = new Date();
    await ctx.em.flush();
    return event;
  }

  @Mutation(() => Event, {
    description:
      'Records the figures reported for an event (e.g. a past event known only in totals); all null clears them, so the counts are computed again.',
  })
  async setReportedCounts(
    @Ctx() ctx: SubgraphContext,
    @Arg('eventId', () => ID, { description: 'Event id.' }) eventId: string,
    @Arg('participants', () => Int, { nullable: true, description: 'Number of participants; null: not reported.' })
    participants?: number | null,
    @Arg('organisations', () => Int, { nullable: true, description: 'Number of organisations; null: not reported.' })
    organisations?: number | null,
    @Arg('talks', () => Int, { nullable: true, description: 'Number of talks; null: not reported.' })
    talks?: number | null,
  ): Promise<Event> {
    const reported = {
      reportedParticipants: validate(reportedCountSchema, participants, 'participants') ?? null,
      reportedOrganisations: validate(reportedCountSchema, organisations, 'organisations') ?? null,
      reportedTalks: validate(reportedCountSchema, talks, 'talks') ?? null,
    };
    const event = await requireEvent(ctx, eventId);
    authoriseHost(ctx, event, 'report this event’s figures');
    ctx.em.assign(event, reported);
    await ctx.em.flush();
    forgetChildren(ctx, event.id);
    return event;
  }
}
