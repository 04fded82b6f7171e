import { Directive, Field, ObjectType } from 'type-graphql';

/**
 * The members subgraph's `Member`, seen from here by its code (all a catalogue node knows about its
 * member). Resolvable, because this subgraph adds `catalogue`. Descriptions repeat the members
 * subgraph's word for word, so composition has nothing to reconcile.
 */
@ObjectType('Member', {
  description: 'A member organisation of the partnership (a library or the organisation that runs it).',
})
@Directive('@key(fields: "code")')
export class MemberRef {
  readonly __typename = 'Member' as const;

  @Field({ description: 'Short stable slug, unique in the network (e.g. `kemrsl`).' })
  code!: string;

  static of(code: string): MemberRef {
    return Object.assign(new MemberRef(), { code });
  }
}
