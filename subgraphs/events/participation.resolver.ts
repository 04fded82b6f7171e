import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Participation } from './participation.entity';
import { MemberRef, PersonRef } from './stubs';

@Resolver(() => Participation)
export class ParticipationResolver {
  @FieldResolver(() => PersonRef, { description: 'The participant.' })
  person(@Root() participation: Participation): PersonRef {
    return PersonRef.of(participation.personId);
  }

  @FieldResolver(() => MemberRef, {
    nullable: true,
    description: 'The member organisation the participant comes from.',
  })
  organisation(@Root() participation: Participation): MemberRef | null {
    return participation.organisationId ? MemberRef.of(participation.organisationId) : null;
  }
}
