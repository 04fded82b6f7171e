import { Entity, Property } from '@mikro-orm/core';
import { Arg, Ctx, Directive, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { BaseEntity } from '../../lib/base.entity';
import { badUserInput } from '../../lib/errors';
import { authorise, forbidden, isCoordinator } from '../../lib/identity';
import type { SubgraphContext } from '../../lib/subgraph';

/** Most entries one `auditLog` page holds. */
const MAX_PAGE = 100;

@ObjectType({ description: 'One mutation made through the gateway: who, what, when, on what, and how it ended.' })
@Entity({ tableName: 'audit_entry' })
export class AuditEntry extends BaseEntity<'argumentsJson'> {
  @Field({ description: 'When the gateway answered it.' })
  @Property({ type: 'datetime' })
  at!: Date;

  @Field({ description: 'Role of the caller: ANONYMOUS, EDITOR or COORDINATOR.' })
  @Property({ type: 'text' })
  role!: string;

  @Field(() => ID, { nullable: true, description: 'The credential the caller presented (its id, never its secret).' })
  @Property({ type: 'uuid', nullable: true })
  credentialId?: string | null;

  @Field(() => String, { nullable: true, description: 'The member an editor acted for.' })
  @Property({ type: 'text', nullable: true })
  memberCode?: string | null;

  @Field({ description: 'The mutation (root field), e.g. `updateMember`; `catalogueImport` for an import.' })
  @Property({ type: 'text' })
  operation!: string;

  @Field(() => String, { nullable: true, description: 'What it acted on: the id or code it named, when it named one.' })
  @Property({ type: 'text', nullable: true })
  target?: string | null;

  /** Its arguments (long values cut, secrets left out by the gateway). */
  @Property({ type: 'json', fieldName: 'arguments' })
  args!: Record<string, unknown>;

  @Field(() => String, { name: 'arguments', description: 'Its arguments as JSON (long values cut, secrets left out).' })
  get argumentsJson(): string {
    return JSON.stringify(this.args);
  }

  @Field({ description: 'OK, or the error code it ended with (FORBIDDEN, BAD_USER_INPUT, …).' })
  @Property({ type: 'text' })
  outcome!: string;
}

// Internal like `_recordAudit`, its only use: not part of the public API.
@InputType({ description: 'One audit entry as the gateway records it.' })
@Directive('@inaccessible')
export class AuditEntryInput {
  @Field({ description: 'When the gateway answered the mutation.' })
  at!: Date;

  @Field({ description: 'Role of the caller: ANONYMOUS, EDITOR or COORDINATOR.' })
  role!: string;

  @Field(() => String, { nullable: true, description: 'Id of the credential the caller presented; null if none.' })
  credentialId?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the member an editor acted for; null for others.' })
  memberCode?: string | null;

  @Field({ description: 'The mutation (root field), or `catalogueImport` for an import.' })
  operation!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The id or code the mutation named, if any; kept to its first 200 characters.',
  })
  target?: string | null;

  @Field({
    description:
      'Its arguments as a JSON object; longer than 16 000 characters or not JSON, it is stored as a marker instead.',
  })
  arguments!: string;

  @Field({ description: 'OK, or the error code it ended with (ERROR when it had none).' })
  outcome!: string;
}

@Resolver()
export class AuditResolver {
  @Mutation(() => Int, { description: 'Stores entries of the audit log (the gateway only).' })
  @Directive('@inaccessible')
  async _recordAudit(
    @Ctx() ctx: SubgraphContext,
    @Arg('entries', () => [AuditEntryInput]) entries: AuditEntryInput[],
  ): Promise<number> {
    if (ctx.identity.role !== 'SERVICE') throw forbidden('The audit log is written by the gateway only');
    for (const { arguments: json, ...entry } of entries.slice(0, 100)) {
      let args: Record<string, unknown>;
      try {
        args = json.length <= 16_000 ? (JSON.parse(json) as Record<string, unknown>) : { truncated: true };
      } catch {
        args = { unreadable: true };
      }
      ctx.em.create(AuditEntry, {
        ...entry,
        args,
        credentialId: entry.credentialId ?? null,
        memberCode: entry.memberCode ?? null,
        target: entry.target?.slice(0, 200) ?? null,
      });
    }
    await ctx.em.flush();
    return Math.min(entries.length, 100);
  }

  @Query(() => [AuditEntry], {
    nullable: true,
    description: 'The audit log, newest first, for coordinators: every mutation made through the gateway.',
  })
  async auditLog(
    @Ctx() ctx: SubgraphContext,
    @Arg('operation', () => String, { nullable: true, description: 'Only this mutation.' }) operation?: string | null,
    @Arg('memberCode', () => String, { nullable: true, description: 'Only what editors of this member did.' })
    memberCode?: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'From this time.' }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Until this time.' }) to?: Date | null,
    @Arg('first', () => Int, { nullable: true, description: `Entries, 1–${MAX_PAGE} (default 50).` })
    first?: number | null,
  ): Promise<AuditEntry[]> {
    authorise(ctx.identity, isCoordinator(ctx.identity), 'read the audit log (coordinators do)');
    const size = first ?? 50;
    if (size < 1 || size > MAX_PAGE) throw badUserInput('first', `first: 1–${MAX_PAGE}`);
    return ctx.em.find(
      AuditEntry,
      {
        ...(operation ? { operation } : {}),
        ...(memberCode ? { memberCode } : {}),
        ...(from || to ? { at: { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) } } : {}),
      },
      { orderBy: { at: 'desc', id: 'desc' }, limit: size },
    );
  }
}
