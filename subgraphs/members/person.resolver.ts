import { actsFor, authorise } from '../../lib/identity';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badUserInput, notFound } from '../../lib/errors';
import { keysetPage } from '../../lib/keyset';
import { ConnectionType } from '../../lib/pagination';
import type { SubgraphContext } from '../../lib/subgraph';
import { likePattern, validate } from '../../lib/validation';
import {
  AddPersonInput,
  PersonFilter,
  UpdatePersonInput,
  addPersonSchema,
  searchSchema,
  updatePersonSchema,
} from './member.inputs';
import { Member } from './member.entity';
import { Person } from './person.entity';

export const PersonConnection = ConnectionType(Person, 'Person', 'person');
export type PersonConnection = InstanceType<typeof PersonConnection>;

async function organisationRef(ctx: SubgraphContext, id: string | null | undefined, field: string) {
  if (id === undefined) return undefined;
  if (id === null) return null;
  const member = await ctx.loaders.byId(Member).load(id);
  if (!member) throw badUserInput(field, `${field}: member ${id} does not exist`);
  return member;
}

@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection, { nullable: true, description: 'Specialists of member organisations, by name.' })
  async people(
    @Ctx() ctx: SubgraphContext,
    @Arg('filter', () => PersonFilter, { nullable: true, description: 'Conditions to match.' })
    filter?: PersonFilter | null,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 0–100 (default 20).' }) first?: number | null,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the item before the page.' })
    after?: string | null,
  ): Promise<PersonConnection> {
    const search = validate(searchSchema, filter?.search, 'filter.search');
    const qb = ctx.em.createQueryBuilder(Person, 'p');
    if (filter?.memberId) {
      if (!(await ctx.loaders.byId(Member).load(filter.memberId))) {
        throw badUserInput('filter.memberId', `filter.memberId: member ${filter.memberId} does not exist`);
      }
      qb.andWhere({ organisation: filter.memberId });
    }
    if (search) {
      qb.andWhere(`(p.search @@ websearch_to_tsquery('russian', ?) or p.full_name ilike ?)`, [
        search,
        likePattern(search),
      ]);
    }
    return keysetPage({
      qb,
      sort: [
        { column: 'p.full_name', property: 'p.fullName', type: 'text' },
        { column: 'p.id', property: 'p.id', type: 'uuid' },
      ],
      keyOf: (p) => [p.fullName, p.id],
      first,
      after,
    });
  }

  @Query(() => Person, { nullable: true, description: 'One person by id; null when there is none.' })
  person(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Person id.' }) id: string,
  ): Promise<Person | null> {
    return ctx.loaders.byId(Person).load(id);
  }

  @FieldResolver(() => Member, { nullable: true, description: 'The member organisation the person works for.' })
  async organisation(@Ctx() ctx: SubgraphContext, @Root() person: Person): Promise<Member | null> {
    return person.organisation ? ctx.loaders.byId(Member).load(person.organisation.id) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Contact email (personal data): shown to coordinators and to the person’s own organisation, null for others.',
  })
  email(@Ctx() ctx: SubgraphContext, @Root() person: Person): string | null {
    return actsFor(ctx.identity, person.organisation?.id) ? (person.email ?? null) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Contact phone (personal data): shown to coordinators and to the person’s own organisation, null for others.',
  })
  phone(@Ctx() ctx: SubgraphContext, @Root() person: Person): string | null {
    return actsFor(ctx.identity, person.organisation?.id) ? (person.phone ?? null) : null;
  }

  @Mutation(() => Person, { description: 'Records a specialist (once; sections and events then refer to the id).' })
  async addPerson(
    @Ctx() ctx: SubgraphContext,
    @Arg('input', () => AddPersonInput, {
      description: 'The person; an editor records people of its own member only (`organisationId` set to it).',
    })
    input: AddPersonInput,
  ): Promise<Person> {
    const data = validate(addPersonSchema, input, 'input');
    // An editor records its own member's people.
    authorise(ctx.identity, actsFor(ctx.identity, data.organisationId), 'record people of another member');
    const organisation = await organisationRef(ctx, data.organisationId, 'input.organisationId');
    const { organisationId: _ignored, ...fields } = data;
    const person = ctx.em.create(Person, { ...fields, organisation: organisation ?? null });
    await ctx.em.flush();
    return person;
  }

  @Mutation(() => Person, { description: 'Changes a person’s record.' })
  async updatePerson(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Person id (an editor changes its own member’s people only).' }) id: string,
    @Arg('input', () => UpdatePersonInput, {
      description: 'The changes; an editor may not move the person to another member or detach it from its own.',
    })
    input: UpdatePersonInput,
  ): Promise<Person> {
    const data = validate(updatePersonSchema, input, 'input');
    const person = await ctx.loaders.byId(Person).load(id);
    if (!person) throw notFound('Person', id);
    authorise(ctx.identity, actsFor(ctx.identity, person.organisation?.id), 'change people of another member');
    if (data.organisationId !== undefined) {
      authorise(ctx.identity, actsFor(ctx.identity, data.organisationId), 'move a person to another member');
    }
    const organisation = await organisationRef(ctx, data.organisationId, 'input.organisationId');
    const { organisationId: _ignored, ...fields } = data;
    ctx.em.assign(person, Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
    if (organisation !== undefined)
      person.organisation = organisation ? ctx.em.getReference(Member, organisation.id, { wrapped: true }) : null;
    await ctx.em.flush();
    return person;
  }
}
