import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { newId } from '../../lib/ids';
import type { Event } from './event.entity';

@ObjectType({ description: 'A talk (доклад) given at an event.' })
@Entity({ tableName: 'talk' })
export class Talk extends BaseEntity<'abstract'> {
  @ManyToOne({ entity: 'Event', ref: true, deleteRule: 'cascade' })
  event!: Ref<Event>;

  @Field({ description: 'Title of the talk.' })
  @Property({ type: 'text' })
  title!: string;

  @Field(() => Int, { description: 'Position in the programme, from 1; unique within the event.' })
  @Property({ type: 'integer' })
  order!: number;

  @Field(() => String, { nullable: true, description: 'Abstract (аннотация).' })
  @Property({ type: 'text', nullable: true })
  abstract?: string | null;
}

@ObjectType('Speaker', { description: 'Someone who gives a talk, with the organisation they speak for.' })
@Entity({ tableName: 'talk_speaker' })
export class TalkSpeaker {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Talk, ref: true, deleteRule: 'cascade' })
  talk!: Ref<Talk>;

  /** The speaker: a person id of the members subgraph. */
  @Property({ type: 'uuid' })
  personId!: string;

  /** The member organisation the speaker represents, if any. */
  @Property({ type: 'uuid', nullable: true })
  organisationId?: string | null;

  /** Order in which the speakers are listed. */
  @Property({ type: 'integer' })
  position!: number;
}
