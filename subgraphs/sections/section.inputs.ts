import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { LocalDate } from '../../lib/scalars';
import { text, uuidSchema } from '../../lib/validation';

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

const localDate = z.iso.date().nullish();

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

export { uuidSchema };
