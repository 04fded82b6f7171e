import { actsFor, authorise, isCoordinator } from '../../lib/identity';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { badUserInput, conflict, isUniqueViolation, notFound } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import { NETWORK_TIME_ZONE } from '../../lib/statistics';
import type { SubgraphContext } from '../../lib/subgraph';
import { validate } from '../../lib/validation';
import { Member } from './member.entity';
import {
  MemberReportRevision,
  REPORTED_FIGURES,
  type ReportedFigureName,
  ReportedFigures,
  ReportedFiguresInput,
} from './report.entity';

/** First year a report may be for. */
export const FIRST_REPORT_YEAR = 1990;
/** Largest plausible value of each figure for one library in a year (the regional library is far below). */
export const FIGURE_LIMITS: Record<ReportedFigureName, number> = {
  registeredUsers: 5_000_000,
  visits: 50_000_000,
  loans: 100_000_000,
  eventsHeld: 100_000,
  staff: 10_000,
};
/** Most visits or loans per registered user in a year that are still plausible. */
const PER_USER_LIMIT = 1000;

const figure = (name: ReportedFigureName) =>
  z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(FIGURE_LIMITS[name], `is implausibly large (more than ${FIGURE_LIMITS[name].toLocaleString('en')})`)
    .nullish();

export const figuresSchema = z
  .object({
    registeredUsers: figure('registeredUsers'),
    visits: figure('visits'),
    loans: figure('loans'),
    eventsHeld: figure('eventsHeld'),
    staff: figure('staff'),
  })
  .superRefine((f, ctx) => {
    if (REPORTED_FIGURES.every(([name]) => f[name] == null)) {
      ctx.addIssue({ code: 'custom', message: 'report at least one figure', path: [] });
    }
    for (const name of ['visits', 'loans'] as const) {
      const value = f[name];
      if (value != null && f.registeredUsers != null && value > Math.max(1, f.registeredUsers) * PER_USER_LIMIT) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `is implausible: more than ${PER_USER_LIMIT} per registered user (${f.registeredUsers})`,
        });
      }
    }
  });

const reasonSchema = z.string().trim().min(1, 'say why the report is corrected').max(1000);

@ObjectType({ description: 'A member’s report for a year: the latest revision, with every earlier one kept.' })
export class MemberReport {
  member!: Member;

  @Field(() => Int, { description: 'The year reported on.' })
  year!: number;

  @Field(() => Int, { description: 'The current revision (1 until corrected).' })
  revision!: number;

  @Field(() => ReportedFigures, { description: 'The figures as last reported.' })
  figures!: ReportedFigures;

  @Field({ description: 'When the report was first submitted.' })
  submittedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last corrected; null if never.' })
  correctedAt!: Date | null;

  @Field(() => [MemberReportRevision], {
    description: 'Every revision, oldest first (the submission, then corrections).',
  })
  history!: MemberReportRevision[];
}

export function figuresOf(revision: Partial<Record<ReportedFigureName, number | null>>): ReportedFigures {
  return Object.assign(
    new ReportedFigures(),
    Object.fromEntries(REPORTED_FIGURES.map(([name]) => [name, revision[name] ?? null])),
  );
}

/** Reports of the revisions given (any members and years), current revision last in each history. */
function reportsOf(members: Map<string, Member>, revisions: MemberReportRevision[]): MemberReport[] {
  const groups = new Map<string, MemberReportRevision[]>();
  for (const r of revisions) {
    const key = `${r.member.id}/${r.year}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((history) => {
    history.sort((a, b) => a.revision - b.revision);
    const current = history[history.length - 1]!;
    return Object.assign(new MemberReport(), {
      member: members.get(current.member.id)!,
      year: current.year,
      revision: current.revision,
      figures: figuresOf(current),
      submittedAt: history[0]!.createdAt,
      correctedAt: history.length > 1 ? current.createdAt : null,
      history,
    });
  });
}

function checkYear(year: number): number {
  const thisYear = Number(
    new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: NETWORK_TIME_ZONE }).format(new Date()),
  );
  if (!Number.isInteger(year) || year < FIRST_REPORT_YEAR || year > thisYear) {
    throw badUserInput('year', `year: reports are for ${FIRST_REPORT_YEAR}–${thisYear} (not a future year)`);
  }
  return year;
}

async function requireMember(ctx: SubgraphContext, id: string): Promise<Member> {
  const member = isUuid(id) ? await ctx.loaders.byId(Member).load(id) : null;
  if (!member) throw notFound('Member', id);
  return member;
}

async function loadReports(
  ctx: SubgraphContext,
  where: { memberIds?: string[]; year?: number | null },
): Promise<MemberReport[]> {
  const revisions = await ctx.em.find(
    MemberReportRevision,
    {
      ...(where.memberIds ? { member: { $in: where.memberIds } } : {}),
      ...(where.year != null ? { year: where.year } : {}),
    },
    { orderBy: { year: 'desc', revision: 'asc' } },
  );
  const ids = [...new Set(revisions.map((r) => r.member.id))];
  const members = new Map<string, Member>(
    (await ctx.loaders.byId(Member).loadMany(ids)).flatMap((m) =>
      m && !(m instanceof Error) ? [[m.id, m] as [string, Member]] : [],
    ),
  );
  return reportsOf(members, revisions).sort(
    (a, b) => b.year - a.year || a.member.name.localeCompare(b.member.name, 'ru'),
  );
}

/** Writes a revision; the (member, year, revision) key makes a concurrent second writer fail cleanly. */
async function writeRevision(
  ctx: SubgraphContext,
  member: Member,
  year: number,
  revision: number,
  figures: z.infer<typeof figuresSchema>,
  reason: string | null,
): Promise<MemberReport> {
  ctx.em.create(MemberReportRevision, {
    member: ctx.em.getReference(Member, member.id, { wrapped: true }),
    year,
    revision,
    ...Object.fromEntries(REPORTED_FIGURES.map(([name]) => [name, figures[name] ?? null])),
    reason,
  });
  try {
    await ctx.em.flush();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict('year', `The ${year} report of ${member.code} changed meanwhile: read it again and correct that`);
    }
    throw error;
  }
  return (await loadReports(ctx, { memberIds: [member.id], year }))[0]!;
}

@Resolver(() => MemberReport)
export class MemberReportResolver {
  @FieldResolver(() => Member, { description: 'The reporting member.' })
  member(@Root() report: MemberReport): Member {
    return report.member;
  }

  @Query(() => [MemberReport], {
    nullable: true,
    description:
      'Figures members reported, current revisions, newest year first; filtered by year and member. Coordinators read every member’s reports, an editor only its own member’s, which are what it gets without `memberId`.',
  })
  memberReports(
    @Ctx() ctx: SubgraphContext,
    @Arg('year', () => Int, { nullable: true, description: 'Only this year.' }) year?: number | null,
    @Arg('memberId', () => ID, { nullable: true, description: 'Only this member.' }) memberId?: string | null,
  ): Promise<MemberReport[]> {
    if (memberId && !isUuid(memberId)) throw badUserInput('memberId', `Member ${memberId} does not exist`);
    // Coordinators read every member's reports; an editor its own member's.
    const own = ctx.identity.role === 'EDITOR' ? ctx.identity.memberId : undefined;
    authorise(
      ctx.identity,
      isCoordinator(ctx.identity) || (!!own && (!memberId || memberId === own)),
      'read other members’ reports',
    );
    const members = memberId ? [memberId] : own ? [own] : undefined;
    return loadReports(ctx, { memberIds: members, year });
  }

  @Mutation(() => MemberReport, {
    description:
      'Submits a member’s figures for a year (6-НК / ISO 2789 kind). One report per member and year: a second one is a CONFLICT — correct it instead.',
  })
  async submitMemberReport(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, { description: 'Id of the reporting member (an editor reports for its own member).' })
    memberId: string,
    @Arg('year', () => Int, { description: 'The year reported on (not a future one).' }) year: number,
    @Arg('figures', () => ReportedFiguresInput, {
      description: `The figures, checked for plausibility: none negative or above its upper limit, visits and loans at most ${PER_USER_LIMIT} per registered user when those are given; else a BAD_USER_INPUT error.`,
    })
    figures: ReportedFiguresInput,
  ): Promise<MemberReport> {
    authorise(ctx.identity, actsFor(ctx.identity, memberId), 'report for another member');
    checkYear(year);
    const data = validate(figuresSchema, figures, 'figures');
    const member = await requireMember(ctx, memberId);
    if (await ctx.em.count(MemberReportRevision, { member: member.id, year })) {
      throw conflict('year', `${member.code} has already reported ${year}: correct that report (correctMemberReport)`);
    }
    return writeRevision(ctx, member, year, 1, data, null);
  }

  @Mutation(() => MemberReport, {
    description:
      'Corrects a member’s report for a year: a new revision with the reason; the earlier ones stay in its history.',
  })
  async correctMemberReport(
    @Ctx() ctx: SubgraphContext,
    @Arg('memberId', () => ID, {
      description: 'Id of the reporting member (an editor corrects its own member’s reports).',
    })
    memberId: string,
    @Arg('year', () => Int, { description: 'The year of the report.' }) year: number,
    @Arg('figures', () => ReportedFiguresInput, { description: 'The whole corrected figures (not only the changes).' })
    figures: ReportedFiguresInput,
    @Arg('reason', { description: 'Why the report is corrected.' }) reason: string,
  ): Promise<MemberReport> {
    authorise(ctx.identity, actsFor(ctx.identity, memberId), 'correct another member’s report');
    checkYear(year);
    const data = validate(figuresSchema, figures, 'figures');
    const why = validate(reasonSchema, reason, 'reason');
    const member = await requireMember(ctx, memberId);
    const latest = await ctx.em.findOne(
      MemberReportRevision,
      { member: member.id, year },
      { orderBy: { revision: 'desc' } },
    );
    if (!latest) throw notFound(`The ${year} report of member`, member.code);
    return writeRevision(ctx, member, year, latest.revision + 1, data, why);
  }
}

@Resolver(() => MemberReportRevision)
export class MemberReportRevisionResolver {
  @FieldResolver(() => ReportedFigures, { description: 'The figures of this revision.' })
  figures(@Root() revision: MemberReportRevision): ReportedFigures {
    return figuresOf(revision);
  }
}

@Resolver(() => Member)
export class MemberReportsResolver {
  @FieldResolver(() => [MemberReport], {
    nullable: true,
    description: 'The figures this member reported, newest year first (for coordinators and the member’s editors).',
  })
  reports(@Ctx() ctx: SubgraphContext, @Root() member: Member): Promise<MemberReport[]> {
    authorise(ctx.identity, actsFor(ctx.identity, member.id), 'read another member’s reports');
    return loadReports(ctx, { memberIds: [member.id] });
  }
}
