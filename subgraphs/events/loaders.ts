import type { SubgraphContext } from '../../lib/subgraph';
import { EventOrganiserLink } from './event.entity';
import { Participation } from './participation.entity';
import { Talk, TalkSpeaker } from './talk.entity';

// One accessor per list, so the fields that read a list and the mutations that clear it after a
// write share the same request-scoped loader (a loader is cached per entity, property and order).

export const organiserLinks = (ctx: SubgraphContext) =>
  ctx.loaders.byParent(EventOrganiserLink, 'event', { position: 'asc' });

export const talksOfEvent = (ctx: SubgraphContext) => ctx.loaders.byParent(Talk, 'event', { order: 'asc' });

export const speakersOfTalk = (ctx: SubgraphContext) => ctx.loaders.byParent(TalkSpeaker, 'talk', { position: 'asc' });

export const participantsOfEvent = (ctx: SubgraphContext) =>
  ctx.loaders.byParent(Participation, 'event', { registeredAt: 'asc', id: 'asc' });
