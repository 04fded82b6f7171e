import type { EntityManager } from '../../lib/orm';
import { seedEvents } from '../../subgraphs/events/seed';
import { seedMembers } from '../../subgraphs/members/seed';
import { seedSections } from '../../subgraphs/sections/seed';
import { events } from './events';
import { members, people } from './members';
import { sections } from './sections';

export { events, members, people, sections };

/** Writes the demo network into each subgraph's own database; idempotent (upserts by stable ids). */
export async function seedDemo(em: { members: EntityManager; sections: EntityManager; events: EntityManager }) {
  return {
    ...(await seedMembers(em.members.fork(), members, people)),
    ...(await seedSections(em.sections.fork(), sections)),
    ...(await seedEvents(em.events.fork(), events)),
  };
}
