import type { EntityManager } from '../../lib/orm';
import { seedEvents } from '../../subgraphs/events/seed';
import { seedEnquiries } from '../../subgraphs/reference/seed';
import { seedMembers } from '../../subgraphs/members/seed';
import { seedSections } from '../../subgraphs/sections/seed';
import { events } from './events';
import { members, people } from './members';
import { enquiries } from './reference';
import { sections } from './sections';

export { enquiries, events, members, people, sections };

/** Writes the demo network into each subgraph's own database; idempotent (upserts by stable ids). */
export async function seedDemo(em: {
  members: EntityManager;
  sections: EntityManager;
  events: EntityManager;
  /** The reference desk's enquiries, when the reference subgraph runs here too. */
  reference?: EntityManager;
}) {
  return {
    ...(await seedMembers(em.members.fork(), members, people)),
    ...(await seedSections(em.sections.fork(), sections)),
    ...(await seedEvents(em.events.fork(), events)),
    ...(em.reference ? await seedEnquiries(em.reference.fork(), enquiries) : {}),
  };
}
