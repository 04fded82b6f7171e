import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities of other subgraphs, as this one sees them: only their key. Descriptions repeat the owners' word for
// word, so composition has nothing to reconcile.

@ObjectType('Member', {
  description: 'A member organisation of the partnership (a library or the organisation that runs it).',
})
@Directive('@key(fields: "id", resolvable: false)')
export class MemberRef {
  @Field(() => ID, { description: 'Stable identifier (UUID).' })
  id!: string;

  static of(id: string): MemberRef {
    return Object.assign(new MemberRef(), { id });
  }
}

/** A member library's catalogue record, resolved by the gateway at its owner's node. */
@ObjectType('CatalogueRecord', { description: 'A bibliographic record of a member library’s catalogue.' })
@Directive('@key(fields: "id", resolvable: false)')
export class CatalogueRecordRef {
  @Field(() => ID, { description: 'Network-wide id: `<memberCode>:<controlNumber>`, e.g. `kemrsl:000123`.' })
  id!: string;

  static of(id: string): CatalogueRecordRef {
    return Object.assign(new CatalogueRecordRef(), { id });
  }
}
