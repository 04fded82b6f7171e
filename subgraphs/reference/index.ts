import 'reflect-metadata';
import { buildFederatedSchema } from '../../lib/federation';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { Enquiry, EnquiryMessage, ReferenceTopic } from './enquiry.entity';
import { EnquiryMessageResolver, EnquiryResolver } from './enquiry.resolver';
import { migrations } from './migrations';

export { loadReferenceConfig, referenceEnv } from './config';

/** The reference subgraph: the network's virtual reference desk — readers' enquiries and their conversations. */
export const referenceSubgraph: SubgraphDefinition = {
  name: 'reference',
  entities: [Enquiry, EnquiryMessage, ReferenceTopic],
  migrations,
  buildSchema: () =>
    // No entity of its own is referenced from elsewhere (yet): an enquiry is reached through its queries only,
    // where access is checked, never through `_entities`.
    buildFederatedSchema({ resolvers: [EnquiryResolver, EnquiryMessageResolver] }),
};
