import 'reflect-metadata';
import { buildFederatedSchema } from '../../lib/federation';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { Event, EventOrganiserLink } from './event.entity';
import { referenceResolvers } from './event.reference';
import { EventResolver } from './event.resolver';
import { migrations } from './migrations';
import { MemberEventsResolver, SectionEventsResolver } from './organiser.resolver';
import { Participation } from './participation.entity';
import { ParticipationResolver } from './participation.resolver';
import { Talk, TalkSpeaker } from './talk.entity';
import { EventsStatisticsPart, EventsStatisticsResolver } from './statistics';
import { SpeakerResolver, TalkResolver } from './talk.resolver';

export { eventsEnv, loadEventsConfig } from './config';

/** The events subgraph: conferences, webinars, seminars and meetings, with organisers, programme and participants. */
export const eventsSubgraph: SubgraphDefinition = {
  name: 'events',
  entities: [Event, EventOrganiserLink, Talk, TalkSpeaker, Participation],
  migrations,
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          EventResolver,
          TalkResolver,
          SpeakerResolver,
          ParticipationResolver,
          MemberEventsResolver,
          SectionEventsResolver,
          EventsStatisticsResolver,
        ],
        // Reached only through `_entities`: the members subgraph returns it.
        orphanedTypes: [EventsStatisticsPart],
      },
      referenceResolvers,
    ),
};
