import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { isUuid } from '../../lib/ids';
import { LocalDate } from '../../lib/scalars';

@InputType({ description: 'A new section.' })
export class CreateSectionInput {
  @Field({ description: 'Name, unique among sections (1–300 characters).' })
  name!: string;

  @Field({ description: 'What the section works on (1–4000 characters).' })
  description!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Date the section was established, when known.' })
  establishedOn?: string | null;
}

@InputType({ description: 'Changes to a section; omitted fields stay as they are, null clears optional ones.' })
export class UpdateSectionInput {
  @Field(() => String, { nullable: true, description: 'Name, unique among sections.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'What the section works on.' })
  description?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date the section was established; null when unknown.' })
  establishedOn?: string | null;
}

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const localDate = z.iso.date().nullish();

/** A uuid naming an entity of the graph (possibly one that lives in another subgraph). */
export const uuidSchema = (what: string) => z.string().refine(isUuid, `must be ${what} id (a UUID)`);

const sectionFields = {
  name: text(300),
  description: text(4000),
  establishedOn: localDate,
};

export const createSectionSchema = z.object(sectionFields);

export const updateSectionSchema = z.object({
  name: sectionFields.name.optional(),
  description: sectionFields.description.optional(),
  establishedOn: sectionFields.establishedOn,
});

export const joinedOnSchema = localDate;
export const sinceSchema = localDate;
