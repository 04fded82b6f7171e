import type { SubgraphContext } from '../../lib/subgraph';
import { SectionMembership } from './section-membership.entity';

/** The request's batched membership lists, each in one fixed order so every field shares one loader. */
export const membershipsOfSection = (ctx: SubgraphContext) =>
  // Roles sort alphabetically in their intended order: coordinator, members, observers.
  ctx.loaders.byParent(SectionMembership, 'section', { role: 'asc', joinedOn: 'asc', memberId: 'asc' });

export const membershipsOfMember = (ctx: SubgraphContext) =>
  // By section name (MikroORM joins the section for the nested order).
  ctx.loaders.byParent(SectionMembership, 'memberId', { section: { name: 'asc' } });

/** After a write, drops the cached lists it changed so later fields of the same request see the change. */
export function forgetMemberships(ctx: SubgraphContext, sectionId: string, memberId?: string): void {
  membershipsOfSection(ctx).clear(sectionId);
  if (memberId) membershipsOfMember(ctx).clear(memberId);
}
