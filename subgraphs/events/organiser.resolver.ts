import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../lib/subgraph';
import { EventConnection, firstEventPage, pageEvents } from './event.queries';
import { MemberRef, SectionRef } from './stubs';

@Resolver(() => MemberRef)
export class MemberEventsResolver {
  @FieldResolver(() => EventConnection, {
    nullable: true,
    description:
      'Events this member hosts or organises, most recent first (null when the events service is unavailable).',
  })
  events(
    @Ctx() ctx: SubgraphContext,
    @Root() member: MemberRef,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the item before the page.' })
    after?: string | null,
  ): Promise<EventConnection> {
    if (after) return pageEvents(ctx, { hostOrOrganiserMemberId: member.id }, first, after);
    return firstEventPage(ctx, 'member', first).load(member.id);
  }
}

@Resolver(() => SectionRef)
export class SectionEventsResolver {
  @FieldResolver(() => EventConnection, {
    nullable: true,
    description: 'Events this section organises, most recent first (null when the events service is unavailable).',
  })
  events(
    @Ctx() ctx: SubgraphContext,
    @Root() section: SectionRef,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the item before the page.' })
    after?: string | null,
  ): Promise<EventConnection> {
    if (after) return pageEvents(ctx, { sectionId: section.id }, first, after);
    return firstEventPage(ctx, 'section', first).load(section.id);
  }
}
