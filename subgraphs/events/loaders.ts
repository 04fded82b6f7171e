import type { SubgraphContext } from '../../lib/subgraph';
import { EventOrganiserLink } from './event.entity';
import { Participation } from './participation.entity';
import { Talk, TalkSpeaker } from './talk.entity';

// lib's `byParent` caches one loader per entity and property whatever the order asked for, so every
// caller goes through these accessors and gets the same order.

export const organiserLinks = (ctx: SubgraphContext) =>
  ctx.loaders.byParent(EventOrganiserLink, 'event', { position: 'asc' });

export const talksOfEvent = (ctx: SubgraphContext) => ctx.loaders.byParent(Talk, 'event', { order: 'asc' });

export const speakersOfTalk = (ctx: SubgraphContext) => ctx.loaders.byParent(TalkSpeaker, 'talk', { position: 'asc' });

export const participantsOfEvent = (ctx: SubgraphContext) =>
  ctx.loaders.byParent(Participation, 'event', { registeredAt: 'asc', id: 'asc' });
