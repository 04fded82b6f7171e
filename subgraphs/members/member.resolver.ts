import { actsFor, authorise, isCoordinator } from '../../lib/identity';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, conflict, isUniqueViolation, notFound } from '../../lib/errors';
import { keysetPage } from '../../lib/keyset';
import { ConnectionType } from '../../lib/pagination';
import type { SubgraphContext } from '../../lib/subgraph';
import { likePattern, validate } from '../../lib/validation';
import { CatalogueNodeStatus, MemberStatus } from './enums';
import {
  AdmitMemberInput,
  MemberFilter,
  UpdateMemberInput,
  admitMemberSchema,
  searchSchema,
  updateMemberSchema,
} from './member.inputs';
import { CatalogueNodeRegistration, Member } from './member.entity';
import { Person } from './person.entity';
import { z } from 'zod';

export const MemberConnection = ConnectionType(Member, 'Member', 'member');
export type MemberConnection = InstanceType<typeof MemberConnection>;

const endpointSchema = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(500);

/** Loads a member for a mutation, or fails with NOT_FOUND naming the id. */
async function requireMember(ctx: SubgraphContext, id: string): Promise<Member> {
  const member = await ctx.loaders.byId(Member).load(id);
  if (!member) throw notFound('Member', id);
  return member;
}

@Resolver(() => Member)
export class MemberResolver {
  // Root fields are nullable so that one unavailable service nulls only its own fields (docs/ARCHITECTURE.md).
  @Query(() => MemberConnection, {
    nullable: true,
    description: 'Member organisations, by name, filtered and paged (Relay style).',
  })
  async members(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => MemberFilter, { nullable: true, description: 'Conditions to match.' })
    filter?: MemberFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the item before the page.' })
    after?: string | null,
  ): Promise<MemberConnection> {
    const search = validate(searchSchema, filter?.search, 'filter.search');
    const qb = ctx.em.createQueryBuilder(Member, 'm');
    if (filter?.region) qb.andWhere({ region: filter.region });
    if (filter?.type) qb.andWhere({ type: filter.type });
    if (filter?.legalForm) qb.andWhere({ legalForm: filter.legalForm });
    if (filter?.status) qb.andWhere({ status: filter.status });
    if (search) {
      qb.andWhere(
        `(m.search @@ websearch_to_tsquery('russian', ?) or m.name ilike ? or m.short_name ilike ? or m.code = lower(?))`,
        [search, likePattern(search), likePattern(search), search],
      );
    }
    return keysetPage({
      qb,
      sort: [
        { column: 'm.name', property: 'm.name', type: 'text' },
        { column: 'm.id', property: 'm.id', type: 'uuid' },
      ],
      keyOf: (m) => [m.name, m.id],
      first,
      after,
    });
  }

  @Query(() => Member, { nullable: true, description: 'One member by id; null when there is none.' })
  member(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Member id.' }) id: string,
  ): Promise<Member | null> {
    return ctx.loaders.byId(Member).load(id);
  }

  @Query(() => Member, { nullable: true, description: 'One member by its code; null when there is none.' })
  memberByCode(
    @Ctx() ctx: SubgraphContext,
    @Arg('code', { description: 'Member code.' }) code: string,
  ): Promise<Member | null> {
    return ctx.em.findOne(Member, { code: code.trim().toLowerCase() });
  }

  @FieldResolver(() => [Person], { description: 'Specialists working for this member, by name.' })
  people(@Ctx() ctx: SubgraphContext, @Root() member: Member): Promise<Person[]> {
    return ctx.loaders.byParent(Person, 'organisation', { fullName: 'asc' }).load(member.id);
  }

  @Mutation(() => Member, { description: 'Admits a new member organisation to the partnership.' })
  async admitMember(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => AdmitMemberInput, {
      description: 'The organisation; it is admitted as ACTIVE, and a code already taken is a CONFLICT.',
    })
    input: AdmitMemberInput,
  ): Promise<Member> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'admit members (coordinators do)');
    const data = validate(admitMemberSchema, input, 'input');
    if (await ctx.em.count(Member, { code: data.code })) {
      throw conflict('input.code', `A member with code "${data.code}" already exists`);
    }
    const member = ctx.em.create(Member, {
      ...data,
      joinedOn: data.joinedOn ?? new Date().toISOString().slice(0, 10),
      status: MemberStatus.ACTIVE,
    });
    try {
      await ctx.em.flush();
    } catch (error) {
      // A concurrent admission of the same code loses the race here; the transaction rolled back.
      if (isUniqueViolation(error)) throw conflict('input.code', `A member with code "${data.code}" already exists`);
      throw error;
    }
    return member;
  }

  @Mutation(() => Member, { description: 'Changes a member’s profile.' })
  async updateMember(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Member id (an editor’s own member, unless a coordinator asks).' }) id: string,
    @Arg('input', () => UpdateMemberInput, { description: 'The changes.' }) input: UpdateMemberInput,
  ): Promise<Member> {
    authorise(ctx.identity, actsFor(ctx.identity, id), 'change another member’s profile');
    const data = validate(updateMemberSchema, input, 'input');
    const member = await requireMember(ctx, id);
    ctx.em.assign(member, Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)));
    await ctx.em.flush();
    return member;
  }

  @Mutation(() => Member, { description: 'Suspends, reinstates or records the departure of a member.' })
  async changeMemberStatus(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Member id.' }) id: string,
    @Arg('status', () => MemberStatus, { description: 'The new status.' }) status: MemberStatus,
    @Arg('reason', () => String, { nullable: true, description: 'Why, for the record.' }) reason?: string | null,
  ): Promise<Member> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change a member’s status (coordinators do)');
    const why = validate(searchSchema.describe('reason'), reason, 'reason');
    const member = await requireMember(ctx, id);
    member.status = status;
    member.statusReason = why ?? null;
    member.statusChangedAt = new Date();
    await ctx.em.flush();
    return member;
  }

  @Mutation(() => Member, { description: 'Registers (or moves) the member’s catalogue node.' })
  async registerCatalogueNode(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, { description: 'Id of the member whose catalogue the node serves.' }) memberId: string,
    @Arg('endpointUrl', { description: 'GraphQL endpoint of the node.' }) endpointUrl: string,
    @Arg('status', () => CatalogueNodeStatus, { nullable: true, description: 'Initial status (default ACTIVE).' })
    status?: CatalogueNodeStatus | null,
  ): Promise<Member> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'register catalogue nodes (coordinators do)');
    const url = validate(endpointSchema, endpointUrl, 'endpointUrl');
    const member = await requireMember(ctx, memberId);
    const registration = new CatalogueNodeRegistration();
    registration.endpointUrl = url;
    registration.status = status ?? CatalogueNodeStatus.ACTIVE;
    registration.registeredAt = new Date();
    member.catalogueNode = registration;
    await ctx.em.flush();
    return member;
  }

  @Mutation(() => Member, { description: 'Removes the member’s catalogue node from the network.' })
  async unregisterCatalogueNode(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, {
      description: 'Id of the member; one without a registered node is a BAD_USER_INPUT error.',
    })
    memberId: string,
  ): Promise<Member> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'unregister catalogue nodes (coordinators do)');
    const member = await requireMember(ctx, memberId);
    if (!member.catalogueNode) throw badUserInput('memberId', `Member ${member.code} has no catalogue node registered`);
    member.catalogueNode = null;
    await ctx.em.flush();
    return member;
  }
}
