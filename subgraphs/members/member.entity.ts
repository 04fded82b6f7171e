import { Collection, Embeddable, Embedded, Entity, Enum, OneToMany, Property } from '@mikro-orm/core';
import { Directive, Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { LocalDate } from '../../lib/scalars';
import { CatalogueNodeStatus, LegalForm, LibraryType, MemberStatus } from './enums';
import { Person } from './person.entity';

@ObjectType('CatalogueNodeRegistration', { description: 'Where a member runs its catalogue node in the network.' })
@Embeddable()
export class CatalogueNodeRegistration {
  @Field({ description: 'GraphQL endpoint URL of the node, as the gateway reaches it.' })
  @Property({ type: 'text' })
  endpointUrl!: string;

  @Field(() => CatalogueNodeStatus, { description: 'Whether the gateway routes requests to the node.' })
  @Enum({ items: () => CatalogueNodeStatus })
  status!: CatalogueNodeStatus;

  @Field({ description: 'When the node was registered.' })
  @Property({ type: 'datetime' })
  registeredAt!: Date;
}

@ObjectType({ description: 'A member organisation of the partnership (a library or the organisation that runs it).' })
@Directive('@key(fields: "id")')
// Catalogue nodes know their member by code only, so they join on it.
@Directive('@key(fields: "code")')
@Entity({ tableName: 'member' })
export class Member extends BaseEntity<'status' | 'people' | 'statusChangedAt'> {
  @Field({ description: 'Short stable slug, unique in the network (e.g. `kemrsl`).' })
  @Property({ type: 'text', unique: true })
  code!: string;

  @Field({ description: 'Full official name.' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'Short name as used in everyday correspondence.' })
  @Property({ type: 'text' })
  shortName!: string;

  @Field(() => LegalForm, { description: 'Organisational and legal form.' })
  @Enum({ items: () => LegalForm })
  legalForm!: LegalForm;

  @Field(() => LibraryType, { description: 'Kind of library.' })
  @Enum({ items: () => LibraryType })
  type!: LibraryType;

  @Field({ description: 'Region (subject of the Russian Federation), e.g. «Кемеровская область — Кузбасс».' })
  @Property({ type: 'text' })
  region!: string;

  @Field({ description: 'City or settlement.' })
  @Property({ type: 'text' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'Postal address.' })
  @Property({ type: 'text', nullable: true })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL.' })
  @Property({ type: 'text', nullable: true })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Public contact email of the organisation.' })
  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Public contact phone of the organisation.' })
  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date the organisation joined the partnership.' })
  @Property({ type: 'date', nullable: true })
  joinedOn?: string | null;

  @Field(() => MemberStatus, { description: 'Membership status.' })
  @Enum({ items: () => MemberStatus })
  status: MemberStatus = MemberStatus.ACTIVE;

  @Field(() => Date, { nullable: true, description: 'When the status last changed.' })
  @Property({ type: 'datetime', nullable: true })
  statusChangedAt?: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the status last changed.' })
  @Property({ type: 'text', nullable: true })
  statusReason?: string | null;

  @Field(() => CatalogueNodeRegistration, {
    nullable: true,
    description: 'The member’s catalogue node, when it has registered one.',
  })
  @Embedded({ entity: () => CatalogueNodeRegistration, nullable: true, prefix: 'catalogue_node_' })
  catalogueNode?: CatalogueNodeRegistration | null;

  @OneToMany(() => Person, (person) => person.organisation)
  people = new Collection<Person>(this);
}
