import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { text, uuidSchema } from '../../lib/validation';

@InputType({ description: 'A reader’s question to the virtual reference desk.' })
export class AskQuestionInput {
  @Field({ description: 'The question (1–4000 characters).' })
  question!: string;

  @Field({ description: 'The reader’s name, as they want to be addressed (1–200 characters). Personal data.' })
  readerName!: string;

  @Field({ description: 'How the library can reach the reader: e-mail or phone (1–200 characters). Personal data.' })
  readerContact!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Topic as a BBK class, when the reader knows it (≤ 50 characters).',
  })
  topic?: string | null;

  @Field(() => String, { nullable: true, description: 'Topic in words (≤ 300 characters).' })
  subject?: string | null;

  @Field(() => ID, { nullable: true, description: 'The library the reader asks, if any (a member id).' })
  preferredLibraryId?: string | null;

  @Field(() => String, { nullable: true, description: 'Language of the conversation (ISO 639-2; `rus` when omitted).' })
  language?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Leave empty: a field people do not see on the page and bots fill in (a question with it is refused).',
  })
  website?: string | null;
}

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

export const askQuestionSchema = z.object({
  question: text(4000),
  readerName: text(200),
  readerContact: text(200),
  topic: optional(50),
  subject: optional(300),
  preferredLibraryId: uuidSchema('a member')
    .nullish()
    .transform((v) => v ?? null),
  language: z
    .string()
    .regex(/^[a-z]{3}$/, 'must be an ISO 639-2 code such as rus')
    .nullish()
    .transform((v) => v ?? 'rus'),
  website: z
    .string()
    .nullish()
    .refine((v) => !v, 'must be left empty'),
});

export const messageSchema = text(4000);
export const reasonSchema = text(1000);
export const recordIdsSchema = z
  .array(z.string().regex(/^[^:\s]+:.+$/, 'must be catalogue record ids (`<member>:<control number>`)'))
  .max(50, 'at most 50 records')
  .nullish()
  .transform((v) => [...new Set(v ?? [])]);
export const topicsSchema = z
  .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
  .max(100, 'at most 100 topics')
  .transform((v) => [...new Set(v)]);

export { uuidSchema };
