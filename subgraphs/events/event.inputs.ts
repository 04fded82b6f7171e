import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { badUserInput } from '../../lib/errors';
import { EventFormat, EventKind, EventTiming } from './enums';
import { text } from '../../lib/validation';

@InputType({ description: 'Narrows the events list; all given conditions must hold.' })
export class EventFilter {
  @Field(() => [EventKind], { nullable: true, description: 'Only events of these kinds.' })
  kinds?: EventKind[] | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only events still running at or after this moment (ending at or after it).',
  })
  from?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Only events already started at or before this moment (starting at or before it).',
  })
  to?: Date | null;

  @Field(() => EventTiming, {
    nullable: true,
    description:
      'Upcoming (soonest first) or past (most recent first) events; without it, all events, most recent first.',
  })
  when?: EventTiming | null;

  @Field(() => ID, { nullable: true, description: 'Only events this member organisation organises (member id).' })
  organiserMemberId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events this section organises (section id).' })
  sectionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only events this member organisation hosts (member id).' })
  hostMemberId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Text search on the title (Russian morphology, then substring).',
  })
  search?: string | null;
}

@InputType({ description: 'A new event.' })
export class CreateEventInput {
  @Field({ description: 'Title.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the event is about.' })
  description?: string | null;

  @Field(() => EventKind, { description: 'What sort of event it is.' })
  kind!: EventKind;

  @Field(() => EventFormat, {
    description: 'How participants attend; decides whether a venue and an online URL are needed.',
  })
  format!: EventFormat;

  @Field({ description: 'When the event starts.' })
  startsAt!: Date;

  @Field({ description: 'When the event ends; not before it starts.' })
  endsAt!: Date;

  @Field(() => ID, { nullable: true, description: 'Member organisation hosting the event (member id).' })
  hostMemberId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Address of the venue; required for in-person and hybrid events.',
  })
  venueAddress?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Where to join online (http or https); required for online and hybrid events.',
  })
  onlineUrl?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Member organisations organising the event (member ids), in order.',
  })
  organiserMemberIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Sections organising the event (section ids), in order.' })
  organiserSectionIds?: string[] | null;
}

@InputType({ description: 'Changes to an event; omitted fields stay as they are, null clears optional ones.' })
export class UpdateEventInput {
  @Field(() => String, { nullable: true, description: 'Title.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'What the event is about.' })
  description?: string | null;

  @Field(() => EventKind, { nullable: true, description: 'What sort of event it is.' })
  kind?: EventKind | null;

  @Field(() => EventFormat, { nullable: true, description: 'How participants attend.' })
  format?: EventFormat | null;

  @Field(() => Date, { nullable: true, description: 'When the event starts.' })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the event ends.' })
  endsAt?: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Member organisation hosting the event (member id); null removes it.',
  })
  hostMemberId?: string | null;

  @Field(() => String, { nullable: true, description: 'Address of the venue.' })
  venueAddress?: string | null;

  @Field(() => String, { nullable: true, description: 'Where to join online.' })
  onlineUrl?: string | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Replaces the organising member organisations (member ids); null or [] removes them all.',
  })
  organiserMemberIds?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Replaces the organising sections (section ids); null or [] removes them all.',
  })
  organiserSectionIds?: string[] | null;
}

@InputType({ description: 'A speaker of a talk.' })
export class SpeakerInput {
  @Field(() => ID, { description: 'The speaker (person id).' })
  personId!: string;

  @Field(() => ID, { nullable: true, description: 'The member organisation the speaker represents (member id).' })
  organisationId?: string | null;
}

@InputType({ description: 'A talk to add to an event’s programme.' })
export class AddTalkInput {
  @Field({ description: 'Title of the talk.' })
  title!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Position in the programme, from 1; appended after the last talk when omitted.',
  })
  order?: number | null;

  @Field(() => String, { nullable: true, description: 'Abstract.' })
  abstract?: string | null;

  @Field(() => [SpeakerInput], { nullable: true, description: 'Speakers, in order; a person at most once.' })
  speakers?: SpeakerInput[] | null;
}

// Validation rules.
const optionalText = (max: number) => text(max).nullish();
export const idSchema = (what: string) => z.uuid(`must be a ${what} id (UUID)`);
const dateTime = z
  .date({ error: 'must be a date-time' })
  .refine((d) => !Number.isNaN(d.getTime()), 'must be a date-time');
const onlineUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(1000)
  .nullish();
const idList = (what: string) =>
  z
    .array(idSchema(what))
    .max(100, 'at most 100 organisers')
    .nullish()
    .transform((ids) => [...new Set(ids ?? [])]);

export const searchSchema = z.string().trim().max(200, 'must be at most 200 characters').nullish();

export const eventFilterSchema = z
  .object({
    kinds: z.array(z.enum(EventKind)).nullish(),
    from: dateTime.nullish(),
    to: dateTime.nullish(),
    when: z.enum(EventTiming).nullish(),
    organiserMemberId: idSchema('member').nullish(),
    sectionId: idSchema('section').nullish(),
    hostMemberId: idSchema('member').nullish(),
    search: searchSchema,
  })
  .refine((f) => !f.from || !f.to || f.from.getTime() <= f.to.getTime(), {
    path: ['from'],
    message: 'must not be after filter.to',
  });

const eventFields = {
  title: text(500),
  description: optionalText(20_000),
  kind: z.enum(EventKind),
  format: z.enum(EventFormat),
  startsAt: dateTime,
  endsAt: dateTime,
  hostMemberId: idSchema('member').nullish(),
  venueAddress: optionalText(500),
  onlineUrl,
};

export const createEventSchema = z.object({
  ...eventFields,
  organiserMemberIds: idList('member'),
  organiserSectionIds: idList('section'),
});

export const updateEventSchema = z.object({
  title: eventFields.title.optional(),
  description: eventFields.description,
  kind: eventFields.kind.optional(),
  format: eventFields.format.optional(),
  startsAt: eventFields.startsAt.optional(),
  endsAt: eventFields.endsAt.optional(),
  hostMemberId: eventFields.hostMemberId,
  venueAddress: eventFields.venueAddress,
  onlineUrl: eventFields.onlineUrl,
  // undefined: keep the organisers; null or a list: replace them.
  organiserMemberIds: z.array(idSchema('member')).max(100, 'at most 100 organisers').nullish(),
  organiserSectionIds: z.array(idSchema('section')).max(100, 'at most 100 organisers').nullish(),
});

export const addTalkSchema = z.object({
  title: text(500),
  order: z.number().int().min(1, 'must be at least 1').max(10_000, 'must be at most 10000').nullish(),
  abstract: optionalText(20_000),
  speakers: z
    .array(z.object({ personId: idSchema('person'), organisationId: idSchema('member').nullish() }))
    .max(50, 'at most 50 speakers')
    .nullish()
    .transform((speakers) => speakers ?? [])
    .superRefine((speakers, ctx) => {
      const seen = new Set<string>();
      speakers.forEach((speaker, i) => {
        if (seen.has(speaker.personId)) {
          ctx.addIssue({ code: 'custom', path: [i, 'personId'], message: 'the same person is listed twice' });
        }
        seen.add(speaker.personId);
      });
    }),
});

export const resolutionSchema = text(100_000);
export const reportedCount = z
  .number()
  .int()
  .min(0, 'must not be negative')
  .max(10_000_000, 'must be at most 10000000');
export const reportedCountSchema = reportedCount.nullish();

/** What the cross-field rules look at: an event as it is (or will be) stored. */
export interface EventRuleShape {
  format: EventFormat;
  startsAt: Date;
  endsAt: Date;
  venueAddress?: string | null;
  onlineUrl?: string | null;
}

/** Rules between fields, checked on the event as it will be stored (after an update is merged in). */
export function eventRuleProblems(event: EventRuleShape, root: string): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  if (event.endsAt.getTime() < event.startsAt.getTime()) {
    problems.push({ field: `${root}.endsAt`, message: 'must not be before startsAt' });
  }
  if (event.format !== EventFormat.ONLINE && !event.venueAddress) {
    problems.push({ field: `${root}.venueAddress`, message: `is required for a ${event.format} event` });
  }
  if (event.format !== EventFormat.IN_PERSON && !event.onlineUrl) {
    problems.push({ field: `${root}.onlineUrl`, message: `is required for a ${event.format} event` });
  }
  return problems;
}

/** Throws BAD_USER_INPUT naming the first broken rule (all of them in `extensions.problems`). */
export function checkEventRules(event: EventRuleShape, root: string): void {
  const problems = eventRuleProblems(event, root);
  const first = problems[0];
  if (first) throw badUserInput(first.field, `${first.field}: ${first.message}`, { problems });
}
