import { ArrayType, Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { z } from 'zod';
import { BaseEntity } from '../../lib/base.entity';
import { authorise } from '../../lib/identity';
import { runSql, schemaOf } from '../../lib/sql';
import type { SubgraphContext } from '../../lib/subgraph';
import { text, uuidSchema, validate } from '../../lib/validation';
import { requireStatus, staff, works } from './access';
import { Enquiry, EnquiryMessage } from './enquiry.entity';
import { EnquiryStatus, MessageAuthor } from './enums';
import { CatalogueRecordRef, MemberRef } from './stubs';

/**
 * An answered question published to the network's archive, without the reader: what librarians reuse before
 * writing a new answer, and what readers find before asking.
 */
@ObjectType({
  description:
    'An answer of the reference desk published to the public archive: the question and the answer as the library published them, without the reader.',
})
@Entity({ tableName: 'reference_answer' })
export class ArchivedAnswer extends BaseEntity<'topic' | 'linkedRecordIds'> {
  @ManyToOne(() => Enquiry, { deleteRule: 'cascade', hidden: true })
  enquiry!: Enquiry;

  /** The library that answered and published it. */
  @Property({ type: 'uuid' })
  memberId!: string;

  @Field({ description: 'The question, as published (the library removes anything personal).' })
  @Property({ type: 'text' })
  question!: string;

  @Field({ description: 'The answer, as published.' })
  @Property({ type: 'text' })
  answer!: string;

  @Field(() => String, { nullable: true, description: 'Topic as a BBK class, when known.' })
  @Property({ type: 'text', nullable: true })
  topic: string | null = null;

  @Property({ type: ArrayType, columnType: 'text[]', defaultRaw: `'{}'` })
  linkedRecordIds: string[] = [];
}

const archiveSearchSchema = z.object({
  query: z.string().trim().max(200, 'must be at most 200 characters').nullish(),
  first: z.number().int().min(1, 'must be at least 1').max(50, 'must be at most 50'),
});

@Resolver(() => ArchivedAnswer)
export class ArchiveResolver {
  @Query(() => [ArchivedAnswer], {
    description:
      'The archive of published answers: those matching the words (Russian morphology, as the catalogue), best first; without words, the newest first.',
  })
  async referenceArchive(
    @Ctx() ctx: SubgraphContext,
    @Arg('query', () => String, {
      nullable: true,
      description: 'Words to look for (any form: «шахтёрами» finds «шахтёры»).',
    })
    query?: string | null,
    @Arg('first', () => Int, { defaultValue: 20, description: 'How many (at most 50).' }) first = 20,
  ): Promise<ArchivedAnswer[]> {
    const args = validate(archiveSearchSchema, { query, first }, 'arguments');
    const s = schemaOf(ctx.em);
    const rows = args.query
      ? await runSql<{ id: string }>(
          ctx.em,
          `select id::text from ${s}.reference_answer, websearch_to_tsquery('russian', ?::text) q
           where search @@ q order by ts_rank_cd(search, q) desc, created_at desc, id limit ?`,
          [args.query, args.first],
        )
      : await runSql<{ id: string }>(
          ctx.em,
          `select id::text from ${s}.reference_answer order by created_at desc, id limit ?`,
          [args.first],
        );
    const found = new Map(
      (await ctx.em.find(ArchivedAnswer, { id: { $in: rows.map((r) => r.id) } })).map((a) => [a.id, a]),
    );
    return rows.map((r) => found.get(r.id)!).filter(Boolean);
  }

  @Mutation(() => ArchivedAnswer, {
    description:
      'Publishes an answered enquiry to the archive, without the reader: the library may rewrite the question and the answer to leave anything personal out (by default the question and the last answer as written). Publishing again replaces the entry.',
  })
  async publishEnquiryAnswer(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Id of the enquiry.' }) id: string,
    @Arg('question', () => String, { nullable: true, description: 'The question as published (1–4000 characters).' })
    question?: string | null,
    @Arg('answer', () => String, { nullable: true, description: 'The answer as published (1–4000 characters).' })
    answer?: string | null,
  ): Promise<ArchivedAnswer> {
    authorise(ctx.identity, staff(ctx.identity), 'publish answers');
    validate(uuidSchema('an enquiry'), id, 'id');
    const enquiry = await ctx.em.findOne(Enquiry, { id });
    authorise(
      ctx.identity,
      !!enquiry?.assignedMemberId && works(ctx.identity, enquiry),
      'publish this answer (its library does)',
    );
    requireStatus(enquiry!, [EnquiryStatus.ANSWERED, EnquiryStatus.CLOSED], 'published');
    const last = await ctx.em.findOne(
      EnquiryMessage,
      { enquiry: enquiry!.id, author: MessageAuthor.LIBRARIAN },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    const data = {
      question: validate(text(4000), question ?? enquiry!.question, 'question'),
      answer: validate(text(4000), answer ?? last?.text ?? '', 'answer'),
      topic: enquiry!.topic,
      linkedRecordIds: enquiry!.linkedRecordIds,
      memberId: enquiry!.assignedMemberId!,
    };
    const existing = await ctx.em.findOne(ArchivedAnswer, { enquiry: enquiry!.id });
    const published = existing
      ? ctx.em.assign(existing, data)
      : ctx.em.create(ArchivedAnswer, { enquiry: enquiry!, ...data });
    await ctx.em.flush();
    return published;
  }

  @FieldResolver(() => MemberRef, { description: 'The library that answered.' })
  library(@Root() answer: ArchivedAnswer): MemberRef {
    return MemberRef.of(answer.memberId);
  }

  @FieldResolver(() => [CatalogueRecordRef], {
    nullable: 'items',
    description: 'Catalogue records the answer points to (null for a record no longer there).',
  })
  linkedRecords(@Root() answer: ArchivedAnswer): CatalogueRecordRef[] {
    return answer.linkedRecordIds.map((id) => CatalogueRecordRef.of(id));
  }

  @FieldResolver(() => Date, { description: 'When it was (last) published.' })
  publishedAt(@Root() answer: ArchivedAnswer): Date {
    return answer.updatedAt;
  }
}
