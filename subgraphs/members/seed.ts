import type { EntityManager } from '../../lib/orm';
import { CatalogueNodeStatus, type LegalForm, type LibraryType, MemberStatus } from './enums';
import { CatalogueNodeRegistration, Member } from './member.entity';
import { Person } from './person.entity';

export interface MemberSeed {
  id: string;
  code: string;
  name: string;
  shortName: string;
  legalForm: LegalForm;
  type: LibraryType;
  region: string;
  city: string;
  address?: string | null;
  website?: string | null;
  email?: string | null;
  phone?: string | null;
  joinedOn?: string | null;
  status?: MemberStatus;
  catalogueNodeUrl?: string | null;
}

export interface PersonSeed {
  id: string;
  fullName: string;
  position?: string | null;
  organisationId?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** Upserts members and people by id in one transaction: running it twice changes nothing. */
export async function seedMembers(
  em: EntityManager,
  members: MemberSeed[],
  people: PersonSeed[],
): Promise<{ members: number; people: number }> {
  await em.transactional(async (tx) => {
    const existing = new Map((await tx.find(Member, { id: { $in: members.map((m) => m.id) } })).map((m) => [m.id, m]));
    for (const { catalogueNodeUrl, status, ...fields } of members) {
      const member = existing.get(fields.id) ?? tx.create(Member, { ...fields, status: MemberStatus.ACTIVE });
      tx.assign(member, { ...fields, status: status ?? MemberStatus.ACTIVE });
      if (catalogueNodeUrl && member.catalogueNode?.endpointUrl !== catalogueNodeUrl) {
        const node = new CatalogueNodeRegistration();
        node.endpointUrl = catalogueNodeUrl;
        node.status = CatalogueNodeStatus.ACTIVE;
        node.registeredAt = new Date();
        member.catalogueNode = node;
      }
    }
    const persons = new Map((await tx.find(Person, { id: { $in: people.map((p) => p.id) } })).map((p) => [p.id, p]));
    for (const { organisationId, ...fields } of people) {
      const person = persons.get(fields.id) ?? tx.create(Person, fields);
      tx.assign(person, {
        ...fields,
        organisation: organisationId ? tx.getReference(Member, organisationId, { wrapped: true }) : null,
      });
    }
  });
  return { members: members.length, people: people.length };
}
