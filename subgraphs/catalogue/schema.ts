import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../../lib/federation';
import { CatalogueFacetCount, ImportRun } from './import-run.entity';
import { MemberCatalogueResolver } from './member.resolver';
import { migrations } from './migrations';
import { CatalogueRecordEntity } from './record.entity';
import { referenceResolvers } from './record.reference';
import { CatalogueHitResolver, CatalogueRecordResolver } from './record.resolver';
import { CatalogueStatisticsPart, CatalogueStatisticsResolver } from './statistics';

export { migrations };

/** The tables of one member's catalogue (one schema per member). */
export const catalogueEntities = [CatalogueRecordEntity, ImportRun, CatalogueFacetCount];

/** The catalogue subgraph schema (federation 2): search, records and `Member.catalogue`. */
export function buildCatalogueSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [CatalogueRecordResolver, CatalogueHitResolver, MemberCatalogueResolver, CatalogueStatisticsResolver],
      // Reached only through `_entities`: the members subgraph returns it.
      orphanedTypes: [CatalogueStatisticsPart],
    },
    referenceResolvers,
  );
}
