import type { SubgraphContext } from '../../lib/subgraph';
import { Member } from './member.entity';
import { Person } from './person.entity';
import { NetworkStatistics } from './statistics';

/** Batches lookups by code (references from catalogue nodes) into one query per request. */
const memberByCode = (ctx: SubgraphContext) =>
  ctx.loaders.custom('member-by-code', async (codes) => {
    const rows = await ctx.em.find(Member, { code: { $in: [...codes] } });
    const byCode = new Map(rows.map((m) => [m.code, m]));
    return codes.map((code) => byCode.get(code) ?? null);
  });

/** How the gateway turns `{ __typename, id }` references from other subgraphs into our entities. */
export const referenceResolvers = {
  Member: {
    __resolveReference: (ref: { id: string } | { code: string }, ctx: SubgraphContext) =>
      'id' in ref ? ctx.loaders.byId(Member).load(ref.id) : memberByCode(ctx).load(ref.code),
  },
  Person: {
    __resolveReference: (ref: { id: string }, ctx: SubgraphContext) => ctx.loaders.byId(Person).load(ref.id),
  },
  NetworkStatistics: {
    __resolveReference: (ref: { scope: string }) => NetworkStatistics.of(ref.scope),
  },
};
