import 'reflect-metadata';
import { buildFederatedSchema } from '../../lib/federation';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { ArchiveResolver, ArchivedAnswer } from './archive';
import { Enquiry, EnquiryMessage, ReferenceTopic } from './enquiry.entity';
import { EnquiryMessageResolver, EnquiryResolver } from './enquiry.resolver';
import { DeskEventsResolver, EnquiryEvent } from './desk-events';
import { DeskEvents } from './events';
import { migrations } from './migrations';
import { ReferenceStatisticsPart, ReferenceStatisticsResolver } from './statistics';

export { loadReferenceConfig, referenceEnv } from './config';

/** The reference subgraph: the network's virtual reference desk — readers' enquiries and their conversations. */
export const referenceSubgraph: SubgraphDefinition = {
  name: 'reference',
  entities: [Enquiry, EnquiryMessage, ReferenceTopic, ArchivedAnswer],
  migrations,
  buildSchema: () =>
    // An enquiry is reached through its queries only, where access is checked, never through `_entities`;
    // the network's statistics get their `reference` part here.
    buildFederatedSchema(
      {
        resolvers: [
          EnquiryResolver,
          EnquiryMessageResolver,
          DeskEventsResolver,
          ArchiveResolver,
          ReferenceStatisticsResolver,
        ],
        orphanedTypes: [ReferenceStatisticsPart, EnquiryEvent],
      },
      { NetworkStatistics: { __resolveReference: (ref: { scope: string }) => ReferenceStatisticsPart.of(ref.scope) } },
    ),
  // The desk's events, shared by the replicas through Redis when REDIS_URL is set.
  services: async (config, logger) => {
    const events = new DeskEvents(config.redisUrl, logger);
    await events.start();
    return { context: { events }, stop: () => events.stop() };
  },
};
