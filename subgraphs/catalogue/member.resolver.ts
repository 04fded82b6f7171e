import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CatalogueContext } from './context';
import { MemberCatalogue } from './record.types';
import { catalogueSummary } from './storage';
import { MemberRef } from './stubs';

/** The field this subgraph adds to the members subgraph's `Member`. */
@Resolver(() => MemberRef)
export class MemberCatalogueResolver {
  // Nullable like every field one subgraph adds to another's entity (docs/ARCHITECTURE.md).
  @FieldResolver(() => MemberCatalogue, {
    nullable: true,
    description:
      'The member’s library catalogue: size and last import (null for members this catalogue node does not serve, or when the node is unavailable).',
  })
  async catalogue(@Ctx() ctx: CatalogueContext, @Root() member: MemberRef): Promise<MemberCatalogue | null> {
    if (member.code !== ctx.member.code) return null;
    const { recordCount, lastImport } = await catalogueSummary(ctx.em);
    return { recordCount, lastImportAt: lastImport?.finishedAt ?? null, lastImport, status: 'ONLINE' };
  }
}
