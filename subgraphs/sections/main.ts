import { runSubgraph } from '../../lib/main';
import { loadSectionsConfig, sectionsSubgraph } from './index';

void runSubgraph(sectionsSubgraph, loadSectionsConfig);
