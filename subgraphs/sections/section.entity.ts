import { Embeddable, Embedded, Entity, Property } from '@mikro-orm/core';
import { Directive, Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { LocalDate } from '../../lib/scalars';

/** Who leads a section; `person` and `organisation` are resolved from the stored ids (see SectionHeadResolver). */
@ObjectType('SectionHead', {
  description: 'The person who heads a section, and the member organisation they work for.',
})
@Embeddable()
export class SectionHead {
  /** Id of the Person (members subgraph). */
  @Property({ type: 'uuid' })
  personId!: string;

  /** Id of the Member the head works for (members subgraph), when known. */
  @Property({ type: 'uuid', nullable: true })
  organisationId?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Since when the person heads the section.' })
  @Property({ type: 'date', nullable: true })
  since?: string | null;
}

@ObjectType({
  description:
    'A section (секция) of the partnership: a standing working group of member organisations on one field of library work.',
})
@Directive('@key(fields: "id")')
@Entity({ tableName: 'section' })
export class Section extends BaseEntity<'establishedOn' | 'head'> {
  @Field({ description: 'Name, unique among sections, e.g. «Секция справочно-библиографического обслуживания».' })
  @Property({ type: 'text', unique: true })
  name!: string;

  @Field({ description: 'What the section works on.' })
  @Property({ type: 'text' })
  description!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Date the section was established, when known.' })
  @Property({ type: 'date', nullable: true })
  establishedOn?: string | null;

  @Field(() => SectionHead, { nullable: true, description: 'Who heads the section; null while nobody does.' })
  @Embedded({ entity: () => SectionHead, nullable: true, prefix: 'head_' })
  head?: SectionHead | null;
}
