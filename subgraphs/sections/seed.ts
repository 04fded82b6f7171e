import type { EntityManager } from '../../lib/orm';
import { isUuid } from '../../lib/ids';
import { SectionMemberRole } from './enums';
import { SectionMembership } from './section-membership.entity';
import { Section, SectionHead } from './section.entity';

export interface SectionSeed {
  id: string;
  name: string;
  description: string;
  establishedOn?: string | null;
  head?: { personId: string; organisationId: string | null; since?: string | null } | null;
  members: Array<{ memberId: string; role: 'COORDINATOR' | 'MEMBER' | 'OBSERVER'; joinedOn?: string | null }>;
}

function check(sections: SectionSeed[]): void {
  const ids = new Set<string>();
  for (const s of sections) {
    const where = `section seed ${s.id} («${s.name}»)`;
    const uuids = [s.id, s.head?.personId, s.head?.organisationId, ...s.members.map((m) => m.memberId)];
    for (const id of uuids) if (id != null && !isUuid(id)) throw new Error(`${where}: ${id} is not a UUID`);
    if (ids.has(s.id)) throw new Error(`${where}: the id is given twice`);
    ids.add(s.id);
    const members = new Set(s.members.map((m) => m.memberId));
    if (members.size !== s.members.length) throw new Error(`${where}: a member is listed twice`);
    for (const m of s.members) {
      if (!Object.values<string>(SectionMemberRole).includes(m.role))
        throw new Error(`${where}: unknown role ${String(m.role)}`);
    }
  }
}

/**
 * Upserts the given sections by id, in one transaction. Each section's memberships become exactly
 * the given list: existing (section, member) rows are updated in place (keeping their ids), missing
 * ones inserted, others deleted. Running it again with the same data changes nothing.
 */
export async function seedSections(
  em: EntityManager,
  sections: SectionSeed[],
): Promise<{ sections: number; memberships: number }> {
  check(sections);
  await em.transactional(async (tx) => {
    const ids = sections.map((s) => s.id);
    const existing = new Map((await tx.find(Section, { id: { $in: ids } })).map((s) => [s.id, s]));
    const memberships = await tx.find(SectionMembership, { section: { $in: ids } });
    const byKey = new Map(memberships.map((m) => [`${m.section.id}/${m.memberId}`, m]));

    for (const seed of sections) {
      const head = seed.head
        ? Object.assign(new SectionHead(), {
            personId: seed.head.personId,
            organisationId: seed.head.organisationId ?? null,
            since: seed.head.since ?? null,
          })
        : null;
      const fields = { name: seed.name, description: seed.description, establishedOn: seed.establishedOn ?? null };
      let section = existing.get(seed.id);
      if (section) tx.assign(section, fields);
      else section = tx.create(Section, { id: seed.id, ...fields });
      section.head = head;

      for (const m of seed.members) {
        const key = `${seed.id}/${m.memberId}`;
        const role = SectionMemberRole[m.role];
        const row = byKey.get(key);
        if (row) {
          row.role = role;
          row.joinedOn = m.joinedOn ?? null;
          byKey.delete(key);
        } else {
          tx.create(SectionMembership, { section, memberId: m.memberId, role, joinedOn: m.joinedOn ?? null });
        }
      }
    }
    // Whatever is left was not in the given lists.
    for (const stale of byKey.values()) tx.remove(stale);
    await tx.flush();
  });
  return { sections: sections.length, memberships: sections.reduce((n, s) => n + s.members.length, 0) };
}
