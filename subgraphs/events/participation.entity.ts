import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { newId } from '../../lib/ids';
import type { Event } from './event.entity';

@ObjectType({ description: 'A person registered as a participant of an event.' })
@Entity({ tableName: 'participation' })
export class Participation {
  [OptionalProps]?: 'registeredAt' | 'organisationId';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: 'Event', ref: true, deleteRule: 'cascade' })
  event!: Ref<Event>;

  /** The participant: a person id of the members subgraph; once per event. */
  @Property({ type: 'uuid' })
  personId!: string;

  /** The member organisation the participant comes from, if any. */
  @Property({ type: 'uuid', nullable: true })
  organisationId?: string | null;

  @Field({ description: 'When the person registered.' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  registeredAt: Date = new Date();
}
