import { authorise, isCoordinator } from '../../lib/identity';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, conflict, isUniqueViolation, notFound } from '../../lib/errors';
import { LocalDate } from '../../lib/scalars';
import type { SubgraphContext } from '../../lib/subgraph';
import { validate } from '../../lib/validation';
import { SectionMemberRole } from './enums';
import {
  CreateSectionInput,
  UpdateSectionInput,
  createSectionSchema,
  joinedOnSchema,
  sinceSchema,
  updateSectionSchema,
  uuidSchema,
} from './section.inputs';
import { forgetMemberships, membershipsOfSection } from './section.loaders';
import { SectionMembership } from './section-membership.entity';
import { Section, SectionHead } from './section.entity';
import { MemberRef, PersonRef } from './stubs';

const today = (): string => new Date().toISOString().slice(0, 10);

/** Loads a section for a mutation: a malformed id is bad input naming `field`, an unknown one NOT_FOUND. */
async function requireSection(ctx: SubgraphContext, id: string, field: string): Promise<Section> {
  validate(uuidSchema('a section'), id, field);
  const section = await ctx.loaders.byId(Section).load(id);
  if (!section) throw notFound('Section', id);
  return section;
}

const duplicateName = (name: string) => conflict('input.name', `A section named «${name}» already exists`);

/** Flushes, turning a lost race on the unique section name into the same CONFLICT the pre-check gives. */
async function flushNamed(ctx: SubgraphContext, name: string | undefined): Promise<void> {
  try {
    await ctx.em.flush();
  } catch (error) {
    if (name !== undefined && isUniqueViolation(error)) throw duplicateName(name);
    throw error;
  }
}

@Resolver(() => Section)
export class SectionResolver {
  // Root fields are nullable so that one unavailable service nulls only its own fields (docs/ARCHITECTURE.md).
  @Query(() => [Section], { nullable: true, description: 'Every section of the partnership, by name.' })
  async sections(@Ctx() ctx: SubgraphContext): Promise<Section[]> {
    const sections = await ctx.em.find(Section, {}, { orderBy: { name: 'asc', id: 'asc' } });
    for (const section of sections) ctx.loaders.byId(Section).prime(section.id, section);
    return sections;
  }

  @Query(() => Section, { nullable: true, description: 'One section by id; null when there is none.' })
  section(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the section.' }) id: string,
  ): Promise<Section | null> {
    return ctx.loaders.byId(Section).load(id);
  }

  @FieldResolver(() => [SectionMembership], {
    description:
      'Member organisations taking part in the section: the coordinator first, then members, then observers.',
  })
  members(@Ctx() ctx: SubgraphContext, @Root() section: Section): Promise<SectionMembership[]> {
    return membershipsOfSection(ctx).load(section.id);
  }

  @Mutation(() => Section, { description: 'Establishes a new section.' })
  async createSection(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => CreateSectionInput, { description: 'The new section.' }) input: CreateSectionInput,
  ): Promise<Section> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change sections (coordinators do)');
    const data = validate(createSectionSchema, input, 'input');
    if (await ctx.em.count(Section, { name: data.name })) throw duplicateName(data.name);
    const section = ctx.em.create(Section, { ...data, establishedOn: data.establishedOn ?? null, head: null });
    await flushNamed(ctx, data.name);
    ctx.loaders.byId(Section).clear(section.id).prime(section.id, section);
    return section;
  }

  @Mutation(() => Section, { description: 'Renames a section or changes its description or founding date.' })
  async updateSection(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the section.' }) id: string,
    @Arg('input', () => UpdateSectionInput, { description: 'The changes.' }) input: UpdateSectionInput,
  ): Promise<Section> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change sections (coordinators do)');
    const data = validate(updateSectionSchema, input, 'input');
    const section = await requireSection(ctx, id, 'id');
    if (data.name !== undefined && data.name !== section.name) {
      if (await ctx.em.count(Section, { name: data.name, id: { $ne: section.id } })) throw duplicateName(data.name);
    }
    ctx.em.assign(section, Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)));
    await flushNamed(ctx, data.name);
    return section;
  }

  @Mutation(() => Section, {
    description:
      'Adds a member organisation to a section; when it is already there, changes its role and joining date.',
  })
  async addSectionMember(
    @Ctx() ctx: SubgraphContext,
    @Arg('sectionId', () => ID, { description: 'Id of the section.' }) sectionId: string,
    @Arg('memberId', () => ID, { description: 'Id of the member organisation (members subgraph).' }) memberId: string,
    @Arg('role', () => SectionMemberRole, {
      nullable: true,
      defaultValue: SectionMemberRole.MEMBER,
      description: 'Role in the section (MEMBER when omitted or null).',
    })
    role?: SectionMemberRole | null,
    @Arg('joinedOn', () => LocalDate, {
      nullable: true,
      description: 'Date of joining; when omitted, today for a new participant and unchanged for an existing one.',
    })
    joinedOn?: string | null,
  ): Promise<Section> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change sections (coordinators do)');
    const member = validate(uuidSchema('a member'), memberId, 'memberId');
    const joined = validate(joinedOnSchema, joinedOn, 'joinedOn');
    const section = await requireSection(ctx, sectionId, 'sectionId');
    const existing = await ctx.em.findOne(SectionMembership, { section: section.id, memberId: member });
    if (existing) {
      existing.role = role ?? SectionMemberRole.MEMBER;
      if (joined) existing.joinedOn = joined;
    } else {
      ctx.em.create(SectionMembership, {
        section,
        memberId: member,
        role: role ?? SectionMemberRole.MEMBER,
        joinedOn: joined ?? today(),
      });
    }
    try {
      await ctx.em.flush();
    } catch (error) {
      // Someone added the same member at the same moment; the transaction rolled back.
      if (isUniqueViolation(error)) {
        throw conflict('memberId', `Member ${member} was added to the section concurrently; try again`);
      }
      throw error;
    }
    forgetMemberships(ctx, section.id, member);
    return section;
  }

  @Mutation(() => Section, { description: 'Removes a member organisation from a section.' })
  async removeSectionMember(
    @Ctx() ctx: SubgraphContext,
    @Arg('sectionId', () => ID, { description: 'Id of the section.' }) sectionId: string,
    @Arg('memberId', () => ID, { description: 'Id of the member organisation (members subgraph).' }) memberId: string,
  ): Promise<Section> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change sections (coordinators do)');
    const member = validate(uuidSchema('a member'), memberId, 'memberId');
    const section = await requireSection(ctx, sectionId, 'sectionId');
    const membership = await ctx.em.findOne(SectionMembership, { section: section.id, memberId: member });
    if (!membership) throw badUserInput('memberId', `Member ${member} is not in the section «${section.name}»`);
    ctx.em.remove(membership);
    await ctx.em.flush();
    forgetMemberships(ctx, section.id, member);
    return section;
  }

  @Mutation(() => Section, { description: 'Appoints the head of a section, replacing the previous one.' })
  async setSectionHead(
    @Ctx() ctx: SubgraphContext,
    @Arg('sectionId', () => ID, { description: 'Id of the section.' }) sectionId: string,
    @Arg('personId', () => ID, { description: 'Id of the person (members subgraph).' }) personId: string,
    @Arg('organisationId', () => ID, {
      nullable: true,
      description: 'Id of the member organisation the head works for (members subgraph); none when omitted.',
    })
    organisationId?: string | null,
    @Arg('since', () => LocalDate, {
      nullable: true,
      description: 'Since when the person heads the section; when omitted, unchanged for the same person, else today.',
    })
    since?: string | null,
  ): Promise<Section> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change sections (coordinators do)');
    const person = validate(uuidSchema('a person'), personId, 'personId');
    const organisation = validate(uuidSchema('a member').nullish(), organisationId, 'organisationId');
    const from = validate(sinceSchema, since, 'since');
    const section = await requireSection(ctx, sectionId, 'sectionId');
    const head = new SectionHead();
    head.personId = person;
    head.organisationId = organisation ?? null;
    head.since = from ?? (section.head?.personId === person ? (section.head.since ?? null) : today());
    section.head = head;
    await ctx.em.flush();
    return section;
  }

  @Mutation(() => Section, { description: 'Records that nobody heads the section any more.' })
  async clearSectionHead(
    @Ctx() ctx: SubgraphContext,
    @Arg('sectionId', () => ID, { description: 'Id of the section.' }) sectionId: string,
  ): Promise<Section> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'change sections (coordinators do)');
    const section = await requireSection(ctx, sectionId, 'sectionId');
    section.head = null;
    await ctx.em.flush();
    return section;
  }
}

@Resolver(() => SectionHead)
export class SectionHeadResolver {
  @FieldResolver(() => PersonRef, { description: 'The person heading the section.' })
  person(@Root() head: SectionHead): PersonRef {
    return { id: head.personId };
  }

  @FieldResolver(() => MemberRef, { nullable: true, description: 'The member organisation the head works for.' })
  organisation(@Root() head: SectionHead): MemberRef | null {
    return head.organisationId ? { id: head.organisationId } : null;
  }
}

@Resolver(() => SectionMembership)
export class SectionMembershipResolver {
  @FieldResolver(() => MemberRef, { description: 'The member organisation.' })
  member(@Root() membership: SectionMembership): MemberRef {
    return { id: membership.memberId };
  }

  @FieldResolver(() => Section, { description: 'The section.' })
  async section(@Ctx() ctx: SubgraphContext, @Root() membership: SectionMembership): Promise<Section> {
    const section = await ctx.loaders.byId(Section).load(membership.section.id);
    if (!section) throw notFound('Section', membership.section.id);
    return section;
  }
}
