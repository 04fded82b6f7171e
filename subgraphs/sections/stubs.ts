import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Descriptions repeat the members subgraph's word for word, so composition has nothing to reconcile.

/**
 * The members subgraph's `Member`, seen from here: only its key. Resolvable, because this subgraph
 * adds fields to it (`sections`, `sectionMemberships`).
 */
@ObjectType('Member', {
  description: 'A member organisation of the partnership (a library or the organisation that runs it).',
})
@Directive('@key(fields: "id")')
export class MemberRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;
}

/** The members subgraph's `Person`, only referenced (section heads). */
@ObjectType('Person', {
  description:
    'A specialist of a member organisation: one record per person, referenced by sections (heads) and events (speakers, participants).',
})
@Directive('@key(fields: "id", resolvable: false)')
export class PersonRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;
}
