import type { EntityManager } from '../../lib/orm';
import { OrganiserKind } from './enums';
import { type Event, EventOrganiserLink } from './event.entity';
import { MemberRef, SectionRef, type EventOrganiser } from './stubs';

/**
 * Makes the event's organiser rows match the given lists (members first, then sections, each in the given
 * order): removes the rows no longer wanted, renumbers the kept ones and adds the new ones. Persists only;
 * the caller flushes, so the change lands in one transaction with the rest.
 */
export function syncOrganisers(
  em: EntityManager,
  event: Event,
  existing: EventOrganiserLink[],
  memberIds: readonly string[],
  sectionIds: readonly string[],
): void {
  const key = (kind: OrganiserKind, id: string) => `${kind}:${id}`;
  const desired = new Map<string, { kind: OrganiserKind; id: string }>();
  for (const id of memberIds) desired.set(key(OrganiserKind.MEMBER, id), { kind: OrganiserKind.MEMBER, id });
  for (const id of sectionIds) desired.set(key(OrganiserKind.SECTION, id), { kind: OrganiserKind.SECTION, id });
  const current = new Map(existing.map((link) => [key(link.organiserKind, link.organiserId), link]));
  for (const [k, link] of current) if (!desired.has(k)) em.remove(link);
  let position = 0;
  for (const [k, { kind, id }] of desired) {
    const link = current.get(k);
    if (link) link.position = position;
    else em.create(EventOrganiserLink, { event, organiserKind: kind, organiserId: id, position });
    position += 1;
  }
}

/** The ids of one kind of organiser, in list order. */
export function organiserIds(links: EventOrganiserLink[], kind: OrganiserKind): string[] {
  return [...links]
    .sort((a, b) => a.position - b.position)
    .filter((link) => link.organiserKind === kind)
    .map((link) => link.organiserId);
}

export function toOrganiser(link: EventOrganiserLink): EventOrganiser {
  return link.organiserKind === OrganiserKind.MEMBER ? MemberRef.of(link.organiserId) : SectionRef.of(link.organiserId);
}
