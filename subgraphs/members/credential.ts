import { Entity, Enum, ManyToOne, Property, type Ref } from '@mikro-orm/core';
import { Arg, Ctx, Directive, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { badUserInput, notFound } from '../../lib/errors';
import { forbidden } from '../../lib/identity';
import { BaseEntity } from '../../lib/base.entity';
import type { CredentialKind, CredentialRole } from '../../lib/credentials';
import { isUuid } from '../../lib/ids';
import type { SubgraphContext } from '../../lib/subgraph';
import { Member } from './member.entity';

@Entity({ tableName: 'api_credential' })
export class ApiCredential extends BaseEntity<'expiresAt' | 'revokedAt' | 'lastUsedAt' | 'member'> {
  @Enum({ items: ['KEY', 'TOKEN'] })
  kind!: CredentialKind;

  @Enum({ items: ['EDITOR', 'COORDINATOR'] })
  role!: CredentialRole;

  @ManyToOne({ entity: () => Member, ref: true, nullable: true, deleteRule: 'cascade' })
  member?: Ref<Member> | null;

  @Property({ type: 'text' })
  label!: string;

  @Property({ type: 'text' })
  secretHash!: string;

  @Property({ type: 'datetime', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  lastUsedAt?: Date | null;
}

@ObjectType({ description: 'An API key or token as the network stores it (never its secret).' })
@Directive('@inaccessible')
export class CredentialInfo {
  @Field(() => ID, { description: 'Credential id.' })
  id!: string;

  @Field({ description: 'KEY or TOKEN.' })
  kind!: string;

  @Field({ description: 'EDITOR or COORDINATOR.' })
  role!: string;

  @Field(() => String, { nullable: true, description: 'The member an editor acts for.' })
  memberId!: string | null;

  @Field(() => String, { nullable: true, description: 'Its code.' })
  memberCode!: string | null;

  @Field({ description: 'What it is for, as given when issued.' })
  label!: string;

  @Field({ description: 'When it was issued.' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it stops working; null: never.' })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked; null: not revoked.' })
  revokedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the gateway last accepted it (to within a minute).' })
  lastUsedAt!: Date | null;
}

async function infoOf(ctx: SubgraphContext, credential: ApiCredential): Promise<CredentialInfo> {
  const member = credential.member ? await ctx.loaders.byId(Member).load(credential.member.id) : null;
  return Object.assign(new CredentialInfo(), {
    id: credential.id,
    kind: credential.kind,
    role: credential.role,
    memberId: member?.id ?? null,
    memberCode: member?.code ?? null,
    label: credential.label,
    createdAt: credential.createdAt,
    expiresAt: credential.expiresAt ?? null,
    revokedAt: credential.revokedAt ?? null,
    lastUsedAt: credential.lastUsedAt ?? null,
  });
}

/** Credentials are managed by the network's own processes only: the gateway and the local admin CLI. */
function requireService(ctx: SubgraphContext): void {
  if (ctx.identity.role !== 'SERVICE') throw forbidden('Credentials are managed with the admin CLI only');
}

/** Issues and looks up credentials; every field is @inaccessible (not in the public API) and SERVICE-only. */
@Resolver()
export class CredentialResolver {
  @Query(() => CredentialInfo, {
    nullable: true,
    description: 'The credential whose secret has this SHA-256 hash (the gateway authenticating a caller).',
  })
  @Directive('@inaccessible')
  async _credential(
    @Ctx() ctx: SubgraphContext,
    @Arg('secretHash', { description: 'SHA-256 of the presented key or token, hex.' }) hash: string,
  ): Promise<CredentialInfo | null> {
    requireService(ctx);
    const credential = await ctx.em.findOne(ApiCredential, { secretHash: hash });
    if (!credential) return null;
    credential.lastUsedAt = new Date();
    await ctx.em.flush();
    return infoOf(ctx, credential);
  }

  @Query(() => [CredentialInfo], { description: 'Every credential, newest first.' })
  @Directive('@inaccessible')
  async _credentials(@Ctx() ctx: SubgraphContext): Promise<CredentialInfo[]> {
    requireService(ctx);
    const all = await ctx.em.find(ApiCredential, {}, { orderBy: { createdAt: 'desc', id: 'asc' } });
    return Promise.all(all.map((c) => infoOf(ctx, c)));
  }

  @Mutation(() => CredentialInfo, {
    description: 'Stores a new API key or token by the hash of its secret (the admin CLI makes the secret).',
  })
  @Directive('@inaccessible')
  async _issueCredential(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Credential id (a token carries it as `jti`).' }) id: string,
    @Arg('kind', { description: 'KEY or TOKEN.' }) kind: string,
    @Arg('role', { description: 'EDITOR or COORDINATOR.' }) role: string,
    @Arg('label', { description: 'What it is for, e.g. who holds it.' }) label: string,
    @Arg('secretHash', { description: 'SHA-256 of the secret, hex.' }) hash: string,
    @Arg('memberCode', () => String, { nullable: true, description: 'The member an editor acts for.' })
    memberCode?: string | null,
    @Arg('expiresAt', () => Date, { nullable: true, description: 'When it stops working (default: never).' })
    expiresAt?: Date | null,
  ): Promise<CredentialInfo> {
    requireService(ctx);
    if (!isUuid(id)) throw badUserInput('id', 'id: a UUID');
    if (kind !== 'KEY' && kind !== 'TOKEN') throw badUserInput('kind', 'kind: KEY or TOKEN');
    if (role !== 'EDITOR' && role !== 'COORDINATOR') throw badUserInput('role', 'role: EDITOR or COORDINATOR');
    if (!/^[0-9a-f]{64}$/.test(hash)) throw badUserInput('secretHash', 'secretHash: SHA-256, hex');
    const name = label.trim();
    if (!name || name.length > 200) throw badUserInput('label', 'label: 1–200 characters');
    if (expiresAt && expiresAt.getTime() <= Date.now()) throw badUserInput('expiresAt', 'expiresAt: in the future');
    let member: Member | null = null;
    if (role === 'EDITOR') {
      if (!memberCode) throw badUserInput('memberCode', 'memberCode: an editor acts for one member');
      member = await ctx.em.findOne(Member, { code: memberCode.trim().toLowerCase() });
      if (!member) throw notFound('Member', memberCode);
    } else if (memberCode) {
      throw badUserInput('memberCode', 'memberCode: a coordinator is not bound to a member');
    }
    const credential = ctx.em.create(ApiCredential, {
      id,
      kind: kind,
      role: role,
      member: member ? ctx.em.getReference(Member, member.id, { wrapped: true }) : null,
      label: name,
      secretHash: hash,
      expiresAt: expiresAt ?? null,
    });
    await ctx.em.flush();
    return infoOf(ctx, credential);
  }

  @Mutation(() => CredentialInfo, { description: 'Revokes a credential: the gateway refuses it within a minute.' })
  @Directive('@inaccessible')
  async _revokeCredential(
    @Ctx() ctx: SubgraphContext,
    @Arg('id', () => ID, { description: 'Credential id.' }) id: string,
  ): Promise<CredentialInfo> {
    requireService(ctx);
    const credential = isUuid(id) ? await ctx.em.findOne(ApiCredential, { id }) : null;
    if (!credential) throw notFound('Credential', id);
    credential.revokedAt ??= new Date();
    await ctx.em.flush();
    return infoOf(ctx, credential);
  }
}
