import { Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { newId } from '../../lib/ids';
import { EventFormat, EventKind, OrganiserKind } from './enums';

@ObjectType({
  description:
    'An event of the partnership: a conference, one of its sessions, a webinar, a seminar, a training or a meeting.',
})
@Directive('@key(fields: "id")')
@Entity({ tableName: 'event' })
export class Event extends BaseEntity<
  | 'description'
  | 'hostMemberId'
  | 'venueAddress'
  | 'onlineUrl'
  | 'resolution'
  | 'resolutionPublishedAt'
  | 'reportedParticipants'
  | 'reportedOrganisations'
  | 'reportedTalks'
> {
  @Field({ description: 'Title, e.g. «Библиотеки Кузбасса: цифровая трансформация».' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the event is about.' })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => EventKind, { description: 'What sort of event it is.' })
  @Enum({ items: () => EventKind })
  kind!: EventKind;

  @Field(() => EventFormat, { description: 'How participants attend.' })
  @Enum({ items: () => EventFormat })
  format!: EventFormat;

  @Field({ description: 'When the event starts.' })
  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Field({ description: 'When the event ends (never before it starts).' })
  @Property({ type: 'datetime' })
  endsAt!: Date;

  /** Member organisation that hosts the event (GraphQL `host`); a member id of the members subgraph. */
  @Property({ type: 'uuid', nullable: true })
  hostMemberId?: string | null;

  @Field(() => String, { nullable: true, description: 'Address of the venue (in-person and hybrid events).' })
  @Property({ type: 'text', nullable: true })
  venueAddress?: string | null;

  @Field(() => String, { nullable: true, description: 'Where to join online (online and hybrid events).' })
  @Property({ type: 'text', nullable: true })
  onlineUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The published resolution or outcome of the event (резолюция, итоги); null until published.',
  })
  @Property({ type: 'text', nullable: true })
  resolution?: string | null;

  @Field(() => Date, { nullable: true, description: 'When the resolution was (last) published.' })
  @Property({ type: 'datetime', nullable: true })
  resolutionPublishedAt?: Date | null;

  /** Reported figures of an event known only in totals; null when not reported (then counts are computed). */
  @Property({ type: 'integer', nullable: true })
  reportedParticipants?: number | null;

  @Property({ type: 'integer', nullable: true })
  reportedOrganisations?: number | null;

  @Property({ type: 'integer', nullable: true })
  reportedTalks?: number | null;
}

/** One organiser of an event: a member organisation or a section (ids of other subgraphs). */
@Entity({ tableName: 'event_organiser' })
export class EventOrganiserLink {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Event, ref: true, deleteRule: 'cascade' })
  event!: Ref<Event>;

  @Enum({ items: () => OrganiserKind })
  organiserKind!: OrganiserKind;

  @Property({ type: 'uuid' })
  organiserId!: string;

  /** Order in which the organisers are listed. */
  @Property({ type: 'integer' })
  position!: number;
}

@ObjectType({ description: 'Figures reported for an event rather than computed from registrations.' })
export class EventReportedCounts {
  @Field(() => Int, { nullable: true, description: 'Reported number of participants; null when not reported.' })
  participants!: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Reported number of organisations taking part; null when not reported.',
  })
  organisations!: number | null;

  @Field(() => Int, { nullable: true, description: 'Reported number of talks; null when not reported.' })
  talks!: number | null;
}
