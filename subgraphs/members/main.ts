import { runSubgraph } from '../../lib/main';
import { loadMembersConfig, membersSubgraph } from './index';

void runSubgraph(membersSubgraph, loadMembersConfig);
