import 'reflect-metadata';
import { buildFederatedSchema } from '../../lib/federation';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { MemberSectionsResolver } from './member.resolver';
import { migrations } from './migrations';
import { SectionMembership } from './section-membership.entity';
import { Section, SectionHead } from './section.entity';
import { referenceResolvers } from './section.reference';
import { SectionHeadResolver, SectionMembershipResolver, SectionResolver } from './section.resolver';
import { SectionsStatisticsPart, SectionsStatisticsResolver } from './statistics';

export { loadSectionsConfig, sectionsEnv } from './config';

/** The sections subgraph: the partnership's working groups, their heads and participating members. */
export const sectionsSubgraph: SubgraphDefinition = {
  name: 'sections',
  entities: [Section, SectionHead, SectionMembership],
  migrations,
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          SectionResolver,
          SectionHeadResolver,
          SectionMembershipResolver,
          MemberSectionsResolver,
          SectionsStatisticsResolver,
        ],
        // Reached only through `_entities`: the members subgraph returns it.
        orphanedTypes: [SectionsStatisticsPart],
      },
      referenceResolvers,
    ),
};
