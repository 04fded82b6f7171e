import { runSubgraph } from '../../lib/main';
import { eventsSubgraph, loadEventsConfig } from './index';

void runSubgraph(eventsSubgraph, loadEventsConfig);
