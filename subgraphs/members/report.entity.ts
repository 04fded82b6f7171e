import { Entity, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import type { Member } from './member.entity';

/** The figures of a report, by GraphQL name and column. */
export const REPORTED_FIGURES = [
  ['registeredUsers', 'registered_users'],
  ['visits', 'visits'],
  ['loans', 'loans'],
  ['eventsHeld', 'events_held'],
  ['staff', 'staff'],
] as const;
export type ReportedFigureName = (typeof REPORTED_FIGURES)[number][0];

const DESCRIPTIONS: Record<ReportedFigureName, string> = {
  registeredUsers: 'Registered users in the year (зарегистрированные пользователи).',
  visits: 'Visits in the year, in person and remote (посещения).',
  loans: 'Documents issued in the year (выдача документов, книговыдача).',
  eventsHeld: 'Public events the library held in the year (культурно-просветительские мероприятия).',
  staff: 'Staff at the end of the year (численность работников).',
};

@ObjectType({ description: 'Figures a member reports for a year; null where it reported nothing.' })
export class ReportedFigures {
  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.registeredUsers })
  registeredUsers!: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.visits })
  visits!: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.loans })
  loans!: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.eventsHeld })
  eventsHeld!: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.staff })
  staff!: number | null;
}

@InputType({ description: 'Figures for a year; leave out what is not reported. At least one is required.' })
export class ReportedFiguresInput {
  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.registeredUsers })
  registeredUsers?: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.visits })
  visits?: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.loans })
  loans?: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.eventsHeld })
  eventsHeld?: number | null;

  @Field(() => Int, { nullable: true, description: DESCRIPTIONS.staff })
  staff?: number | null;
}

/** One submission or correction of a member's report for a year; the highest revision is the report. */
@ObjectType({
  description: 'One version of a member’s report for a year: the submission (revision 1) or a correction.',
})
@Entity({ tableName: 'member_report_revision' })
export class MemberReportRevision extends BaseEntity<'reason'> {
  @ManyToOne({ entity: 'Member', ref: true, deleteRule: 'cascade' })
  member!: Ref<Member>;

  @Field(() => Int, { description: 'The year reported on.' })
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => Int, { description: '1 for the submission, then 2, 3… for each correction.' })
  @Property({ type: 'integer' })
  revision!: number;

  @Property({ type: 'integer', nullable: true })
  registeredUsers?: number | null;

  @Property({ type: 'integer', nullable: true })
  visits?: number | null;

  @Property({ type: 'integer', nullable: true })
  loans?: number | null;

  @Property({ type: 'integer', nullable: true })
  eventsHeld?: number | null;

  @Property({ type: 'integer', nullable: true })
  staff?: number | null;

  @Field(() => String, { nullable: true, description: 'Why it was corrected; null for the submission.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;
}
