import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { isUuid } from '../../lib/ids';
import type { SubgraphContext } from '../../lib/subgraph';
import { membershipsOfMember } from './section.loaders';
import { SectionMembership } from './section-membership.entity';
import { Section } from './section.entity';
import { MemberRef } from './stubs';

/** The fields this subgraph adds to the members subgraph's `Member`. */
@Resolver(() => MemberRef)
export class MemberSectionsResolver {
  // Nullable, like every field one subgraph adds to another's entity: when this subgraph is down the
  // gateway nulls just this field instead of the whole member.
  @FieldResolver(() => [SectionMembership], {
    nullable: true,
    description:
      'The member organisation’s places in sections, by section name (null when the sections service is unavailable).',
  })
  async sectionMemberships(@Ctx() ctx: SubgraphContext, @Root() member: MemberRef): Promise<SectionMembership[]> {
    return isUuid(member.id) ? membershipsOfMember(ctx).load(member.id) : [];
  }

  @FieldResolver(() => [Section], {
    nullable: true,
    description:
      'The sections the member organisation takes part in, by name (null when the sections service is unavailable).',
  })
  async sections(@Ctx() ctx: SubgraphContext, @Root() member: MemberRef): Promise<Section[]> {
    const memberships = await this.sectionMemberships(ctx, member);
    const sections = await ctx.loaders.byId(Section).loadMany(memberships.map((m) => m.section.id));
    return sections.filter((s): s is Section => s instanceof Section);
  }
}
