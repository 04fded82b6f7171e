import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../lib/subgraph';
import { Event } from './event.entity';
import { speakersOfTalk } from './loaders';
import { MemberRef, PersonRef } from './stubs';
import { Talk, TalkSpeaker } from './talk.entity';

@Resolver(() => Talk)
export class TalkResolver {
  @FieldResolver(() => [TalkSpeaker], { description: 'Who gives the talk, in order.' })
  speakers(@Ctx() ctx: SubgraphContext, @Root() talk: Talk): Promise<TalkSpeaker[]> {
    return speakersOfTalk(ctx).load(talk.id);
  }

  @FieldResolver(() => Event, { description: 'The event the talk is given at.' })
  async event(@Ctx() ctx: SubgraphContext, @Root() talk: Talk): Promise<Event> {
    return (await ctx.loaders.byId(Event).load(talk.event.id))!;
  }
}

@Resolver(() => TalkSpeaker)
export class SpeakerResolver {
  @FieldResolver(() => PersonRef, { description: 'The speaker.' })
  person(@Root() speaker: TalkSpeaker): PersonRef {
    return PersonRef.of(speaker.personId);
  }

  @FieldResolver(() => MemberRef, { nullable: true, description: 'The member organisation the speaker represents.' })
  organisation(@Root() speaker: TalkSpeaker): MemberRef | null {
    return speaker.organisationId ? MemberRef.of(speaker.organisationId) : null;
  }
}
