import type { CatalogueContext } from './context';
import { loadRecord } from './record.resolver';
import { CatalogueStatisticsPart } from './statistics';
import { MemberRef } from './stubs';

/**
 * How the gateway turns references into this subgraph's objects: records by `<member>:<controlNumber>`
 * (null for other members' and unknown ids), members by code (their `catalogue` is answered here).
 */
export const referenceResolvers = {
  CatalogueRecord: {
    __resolveReference: (ref: { id: string }, ctx: CatalogueContext) => loadRecord(ctx, ref.id),
  },
  Member: {
    __resolveReference: (ref: { code: string }) =>
      typeof ref.code === 'string' && ref.code ? MemberRef.of(ref.code) : null,
  },
  NetworkStatistics: {
    __resolveReference: (ref: { scope: string }) => CatalogueStatisticsPart.of(ref.scope),
  },
};
