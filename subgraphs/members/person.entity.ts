import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Directive, Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import type { Member } from './member.entity';

@ObjectType({
  description:
    'A specialist of a member organisation: one record per person, referenced by sections (heads) and events (speakers, participants).',
})
@Directive('@key(fields: "id")')
@Entity({ tableName: 'person' })
export class Person extends BaseEntity {
  @Field({ description: 'Full name, «Фамилия Имя Отчество».' })
  @Property({ type: 'text' })
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'Position held, e.g. «заведующий отделом».' })
  @Property({ type: 'text', nullable: true })
  position?: string | null;

  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @ManyToOne({ entity: 'Member', nullable: true, ref: true, deleteRule: 'set null' })
  organisation?: Ref<Member> | null;
}
