import { runSubgraph } from '../../lib/main';
import { loadReferenceConfig, referenceSubgraph } from './index';

void runSubgraph(referenceSubgraph, loadReferenceConfig);
