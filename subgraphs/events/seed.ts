import { z } from 'zod';
import type { EntityManager } from '../../lib/orm';
import { validate } from '../../lib/validation';
import { Event, EventOrganiserLink } from './event.entity';
import { addTalkSchema, checkEventRules, createEventSchema, idSchema, reportedCount } from './event.inputs';
import { syncOrganisers } from './organisers';
import { Participation } from './participation.entity';
import { Talk, TalkSpeaker } from './talk.entity';

/** One event to seed, with its organisers, programme and participants (ids of other subgraphs as plain UUIDs). */
export interface EventSeed {
  id: string;
  title: string;
  description?: string | null;
  kind: string;
  format: string;
  startsAt: string;
  endsAt: string;
  hostMemberId?: string | null;
  venueAddress?: string | null;
  onlineUrl?: string | null;
  organiserMemberIds: string[];
  organiserSectionIds: string[];
  talks: Array<{
    id: string;
    title: string;
    order: number;
    abstract?: string | null;
    speakers: Array<{ personId: string; organisationId: string | null }>;
  }>;
  participants: Array<{ personId: string; organisationId: string | null }>;
  resolution?: string | null;
  reported?: { participants: number; organisations: number; talks: number } | null;
}

const seedIdsSchema = z.object({
  id: idSchema('event'),
  talks: z.array(z.object({ id: idSchema('talk'), order: z.number().int().min(1) })).superRefine((talks, ctx) => {
    const orders = new Set<number>();
    talks.forEach((talk, i) => {
      if (orders.has(talk.order)) ctx.addIssue({ code: 'custom', path: [i, 'order'], message: 'order used twice' });
      orders.add(talk.order);
    });
  }),
  participants: z
    .array(z.object({ personId: idSchema('person'), organisationId: idSchema('member').nullable() }))
    .superRefine((people, ctx) => {
      const seen = new Set<string>();
      people.forEach((p, i) => {
        if (seen.has(p.personId))
          ctx.addIssue({ code: 'custom', path: [i, 'personId'], message: 'person listed twice' });
        seen.add(p.personId);
      });
    }),
  resolution: z.string().trim().min(1).nullish(),
  reported: z
    .object({
      participants: reportedCount,
      organisations: reportedCount,
      talks: reportedCount,
    })
    .nullish(),
});

/**
 * Writes events by their given ids in one transaction; running it again changes nothing. The organisers,
 * talks (with speakers) and participants of a seeded event become exactly the given lists; participants
 * already registered keep their registration time.
 */
export async function seedEvents(
  em: EntityManager,
  events: EventSeed[],
): Promise<{ events: number; talks: number; participants: number }> {
  // Validate everything before writing anything: the same rules as the mutations.
  const checked = events.map((seed, i) => {
    const root = `events.${i}`;
    const fields = validate(
      createEventSchema,
      { ...seed, startsAt: new Date(seed.startsAt), endsAt: new Date(seed.endsAt) },
      root,
    );
    checkEventRules(fields, root);
    const extra = validate(seedIdsSchema, seed, root);
    const talks = seed.talks.map((talk, t) => ({
      id: talk.id,
      ...validate(addTalkSchema, talk, `${root}.talks.${t}`),
      order: talk.order,
    }));
    return { seed, fields, extra, talks };
  });

  const ids = events.map((e) => e.id);
  return em.transactional(async (tx) => {
    const existing = new Map((await tx.find(Event, { id: { $in: ids } })).map((e) => [e.id, e]));
    const links = await tx.find(EventOrganiserLink, { event: { $in: ids } });
    const registrations = await tx.find(Participation, { event: { $in: ids } });
    // Talks are upserted by id (a given id found under another event moves); the others of a seeded event go,
    // with their speakers through the foreign key. Programme positions may swap, so their uniqueness is
    // checked at commit (the only deferrable constraint of the schema).
    const talkIds = events.flatMap((e) => e.talks.map((t) => t.id));
    const talkRows = new Map(
      (await tx.find(Talk, { $or: [{ event: { $in: ids } }, { id: { $in: talkIds } }] })).map((t) => [t.id, t]),
    );
    const speakerRows = await tx.find(TalkSpeaker, { talk: { $in: talkIds } });
    const keptTalks = new Set(talkIds);
    for (const [id, talk] of talkRows) if (!keptTalks.has(id)) tx.remove(talk);
    await tx.execute('set constraints all deferred');

    const now = new Date();
    for (const { seed, fields, extra, talks } of checked) {
      const { organiserMemberIds, organiserSectionIds, ...columns } = fields;
      const previous = existing.get(seed.id);
      const resolution = extra.resolution ?? null;
      const values = {
        ...columns,
        description: columns.description ?? null,
        hostMemberId: columns.hostMemberId ?? null,
        venueAddress: columns.venueAddress ?? null,
        onlineUrl: columns.onlineUrl ?? null,
        resolution,
        // Kept while the text is unchanged; otherwise dated at the end of the event (or now, if it is still to come).
        resolutionPublishedAt: !resolution
          ? null
          : previous?.resolution === resolution && previous.resolutionPublishedAt
            ? previous.resolutionPublishedAt
            : new Date(Math.min(columns.endsAt.getTime(), now.getTime())),
        reportedParticipants: extra.reported?.participants ?? null,
        reportedOrganisations: extra.reported?.organisations ?? null,
        reportedTalks: extra.reported?.talks ?? null,
      };
      const event = previous ? tx.assign(previous, values) : tx.create(Event, { id: seed.id, ...values });

      syncOrganisers(
        tx,
        event,
        links.filter((link) => link.event.id === seed.id),
        organiserMemberIds,
        organiserSectionIds,
      );

      for (const talk of talks) {
        const talkValues = { event, title: talk.title, order: talk.order, abstract: talk.abstract ?? null };
        const previousTalk = talkRows.get(talk.id);
        const row = previousTalk
          ? tx.assign(previousTalk, talkValues)
          : tx.create(Talk, { id: talk.id, ...talkValues });
        const speakers = new Map(speakerRows.filter((sp) => sp.talk.id === talk.id).map((sp) => [sp.personId, sp]));
        const wantedSpeakers = new Set(talk.speakers.map((sp) => sp.personId));
        for (const [personId, speaker] of speakers) if (!wantedSpeakers.has(personId)) tx.remove(speaker);
        talk.speakers.forEach((speaker, position) => {
          const speakerValues = { organisationId: speaker.organisationId ?? null, position };
          const previousSpeaker = speakers.get(speaker.personId);
          if (previousSpeaker) tx.assign(previousSpeaker, speakerValues);
          else tx.create(TalkSpeaker, { talk: row, personId: speaker.personId, ...speakerValues });
        });
      }

      const registered = new Map(
        registrations.filter((r) => r.event.id === seed.id).map((r) => [r.personId, r] as const),
      );
      const wanted = new Set(extra.participants.map((p) => p.personId));
      for (const [personId, registration] of registered) if (!wanted.has(personId)) tx.remove(registration);
      // New registrations are dated just before the event (or now, for one still to come), a second apart in list order.
      const registeredBy = Math.min(columns.startsAt.getTime(), now.getTime());
      extra.participants.forEach((participant, index) => {
        const registration = registered.get(participant.personId);
        if (registration) registration.organisationId = participant.organisationId;
        else
          tx.create(Participation, {
            event,
            personId: participant.personId,
            organisationId: participant.organisationId,
            registeredAt: new Date(registeredBy - (extra.participants.length - index) * 1000),
          });
      });
    }
    await tx.flush();
    return {
      events: events.length,
      talks: events.reduce((n, e) => n + e.talks.length, 0),
      participants: events.reduce((n, e) => n + e.participants.length, 0),
    };
  });
}
