import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { LocalDate } from '../../lib/scalars';
import { LegalForm, LibraryType, MemberStatus } from './enums';
import { text } from '../../lib/validation';

@InputType({ description: 'Narrows the members list; all given conditions must hold.' })
export class MemberFilter {
  @Field(() => String, { nullable: true, description: 'Exact region name.' })
  region?: string | null;

  @Field(() => LibraryType, { nullable: true, description: 'Kind of library.' })
  type?: LibraryType | null;

  @Field(() => LegalForm, { nullable: true, description: 'Legal form.' })
  legalForm?: LegalForm | null;

  @Field(() => MemberStatus, { nullable: true, description: 'Membership status.' })
  status?: MemberStatus | null;

  @Field(() => String, {
    nullable: true,
    description: 'Text search on full and short names and the code (Russian morphology, then substring).',
  })
  search?: string | null;
}

@InputType({ description: 'A new member organisation.' })
export class AdmitMemberInput {
  @Field({ description: 'Short stable slug: lowercase Latin letters, digits and hyphens, 2–32 characters.' })
  code!: string;

  @Field({ description: 'Full official name.' })
  name!: string;

  @Field({ description: 'Short name.' })
  shortName!: string;

  @Field(() => LegalForm, { description: 'Legal form.' })
  legalForm!: LegalForm;

  @Field(() => LibraryType, { description: 'Kind of library.' })
  type!: LibraryType;

  @Field({ description: 'Region.' })
  region!: string;

  @Field({ description: 'City or settlement.' })
  city!: string;

  @Field(() => String, { nullable: true, description: 'Postal address.' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL (http or https).' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Public contact email.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Public contact phone.' })
  phone?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date of joining; today when omitted.' })
  joinedOn?: string | null;
}

@InputType({
  description: 'Changes to a member’s profile; omitted fields stay as they are, null clears optional ones.',
})
export class UpdateMemberInput {
  @Field(() => String, { nullable: true, description: 'Full official name.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Short name.' })
  shortName?: string | null;

  @Field(() => LegalForm, { nullable: true, description: 'Legal form.' })
  legalForm?: LegalForm | null;

  @Field(() => LibraryType, { nullable: true, description: 'Kind of library.' })
  type?: LibraryType | null;

  @Field(() => String, { nullable: true, description: 'Region.' })
  region?: string | null;

  @Field(() => String, { nullable: true, description: 'City or settlement.' })
  city?: string | null;

  @Field(() => String, { nullable: true, description: 'Postal address.' })
  address?: string | null;

  @Field(() => String, { nullable: true, description: 'Website URL.' })
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'Public contact email.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Public contact phone.' })
  phone?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date of joining.' })
  joinedOn?: string | null;
}

@InputType({ description: 'Narrows the people list.' })
export class PersonFilter {
  @Field(() => String, { nullable: true, description: 'Only people of this member organisation (id).' })
  memberId?: string | null;

  @Field(() => String, { nullable: true, description: 'Text search on the full name.' })
  search?: string | null;
}

@InputType({ description: 'A specialist to record.' })
export class AddPersonInput {
  @Field({ description: 'Full name.' })
  fullName!: string;

  @Field(() => String, { nullable: true, description: 'Position held.' })
  position?: string | null;

  @Field(() => String, { nullable: true, description: 'Member organisation the person works for (id).' })
  organisationId?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone.' })
  phone?: string | null;
}

@InputType({ description: 'Changes to a person; omitted fields stay, null clears optional ones.' })
export class UpdatePersonInput {
  @Field(() => String, { nullable: true, description: 'Full name.' })
  fullName?: string | null;

  @Field(() => String, { nullable: true, description: 'Position held.' })
  position?: string | null;

  @Field(() => String, { nullable: true, description: 'Member organisation the person works for (id); null detaches.' })
  organisationId?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact email.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Contact phone.' })
  phone?: string | null;
}

// Validation rules, shared by create and update (update makes every field optional).
const optionalText = (max: number) => text(max).nullish();
const website = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(500)
  .nullish();
const email = z.email('must be an email address').max(320).nullish();
const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()\-–]{5,40}$/, 'must be a phone number')
  .nullish();

export const memberCodeSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{1,31}$/,
    'must be 2–32 lowercase Latin letters, digits or hyphens, starting with a letter or digit',
  );

const memberFields = {
  name: text(500),
  shortName: text(200),
  legalForm: z.enum(LegalForm),
  type: z.enum(LibraryType),
  region: text(200),
  city: text(200),
  address: optionalText(500),
  website,
  email,
  phone,
  joinedOn: z.iso.date().nullish(),
};

export const admitMemberSchema = z.object({ code: memberCodeSchema, ...memberFields });

export const updateMemberSchema = z.object({
  name: memberFields.name.optional(),
  shortName: memberFields.shortName.optional(),
  legalForm: memberFields.legalForm.optional(),
  type: memberFields.type.optional(),
  region: memberFields.region.optional(),
  city: memberFields.city.optional(),
  address: memberFields.address,
  website,
  email,
  phone,
  joinedOn: memberFields.joinedOn,
});

export const searchSchema = z.string().trim().max(200, 'must be at most 200 characters').nullish();

const personFields = {
  fullName: text(300),
  position: optionalText(300),
  organisationId: z.uuid('must be a member id').nullish(),
  email,
  phone,
};
export const addPersonSchema = z.object(personFields);
export const updatePersonSchema = z.object({ ...personFields, fullName: personFields.fullName.optional() });
