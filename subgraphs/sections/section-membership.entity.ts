import { Entity, Enum, ManyToOne, Property, type Ref, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { LocalDate } from '../../lib/scalars';
import { SectionMemberRole } from './enums';
import { Section } from './section.entity';

/** A member organisation's place in a section; `member` and `section` are resolved by SectionMembershipResolver. */
@ObjectType('SectionMembership', { description: 'A member organisation taking part in a section, and in what role.' })
@Entity({ tableName: 'section_membership' })
@Unique({ properties: ['section', 'memberId'] })
export class SectionMembership extends BaseEntity<'joinedOn'> {
  @ManyToOne({ entity: () => Section, ref: true, deleteRule: 'cascade' })
  section!: Ref<Section>;

  /** Id of the Member (members subgraph); not a foreign key, the member lives in another database. */
  @Property({ type: 'uuid' })
  memberId!: string;

  @Field(() => SectionMemberRole, { description: 'The organisation’s role in the section.' })
  @Enum({ items: () => SectionMemberRole })
  role!: SectionMemberRole;

  @Field(() => LocalDate, { nullable: true, description: 'Date the organisation joined the section, when known.' })
  @Property({ type: 'date', nullable: true })
  joinedOn?: string | null;
}
