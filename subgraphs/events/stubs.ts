import { createUnionType, Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Entities owned by other subgraphs, as this subgraph sees them: only the key. Each stub object carries a
 * `__typename` so the `EventOrganiser` union (and the gateway) can tell members from sections. Descriptions
 * repeat the owning subgraph's word for word, so composition has nothing to reconcile.
 */
@ObjectType('Member', {
  description: 'A member organisation of the partnership (a library or the organisation that runs it).',
})
@Directive('@key(fields: "id")')
export class MemberRef {
  readonly __typename = 'Member' as const;

  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  static of(id: string): MemberRef {
    return Object.assign(new MemberRef(), { id });
  }
}

@ObjectType('Section', {
  description:
    'A section (секция) of the partnership: a standing working group of member organisations on one field of library work.',
})
@Directive('@key(fields: "id")')
export class SectionRef {
  readonly __typename = 'Section' as const;

  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  static of(id: string): SectionRef {
    return Object.assign(new SectionRef(), { id });
  }
}

@ObjectType('Person', {
  description:
    'A specialist of a member organisation: one record per person, referenced by sections (heads) and events (speakers, participants).',
})
@Directive('@key(fields: "id", resolvable: false)')
export class PersonRef {
  readonly __typename = 'Person' as const;

  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  static of(id: string): PersonRef {
    return Object.assign(new PersonRef(), { id });
  }
}

export const EventOrganiser = createUnionType({
  name: 'EventOrganiser',
  description: 'Who organises an event: a member organisation or a section of the partnership.',
  types: () => [MemberRef, SectionRef] as const,
  resolveType: (value) => value.__typename,
});
export type EventOrganiser = MemberRef | SectionRef;
