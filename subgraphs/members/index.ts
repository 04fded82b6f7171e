import 'reflect-metadata';
import { buildFederatedSchema } from '../../lib/federation';
import type { SubgraphDefinition } from '../../lib/subgraph';
import { Member } from './member.entity';
import { referenceResolvers } from './member.reference';
import { MemberResolver } from './member.resolver';
import { migrations } from './migrations';
import { Person } from './person.entity';
import { PersonResolver } from './person.resolver';
import { MemberReportResolver, MemberReportRevisionResolver, MemberReportsResolver } from './report.resolver';
import { MemberReportRevision } from './report.entity';
import { ApiCredential, CredentialResolver } from './credential';
import { AuditEntry, AuditResolver } from './audit';
import { MemberStatisticsResolver, NetworkStatisticsResolver } from './statistics';

export { loadMembersConfig, membersEnv } from './config';

/** The members subgraph: member organisations, their people and catalogue node registrations. */
export const membersSubgraph: SubgraphDefinition = {
  name: 'members',
  entities: [Member, Person, MemberReportRevision, ApiCredential, AuditEntry],
  migrations,
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          MemberResolver,
          PersonResolver,
          NetworkStatisticsResolver,
          MemberStatisticsResolver,
          MemberReportResolver,
          MemberReportRevisionResolver,
          MemberReportsResolver,
          CredentialResolver,
          AuditResolver,
        ],
      },
      referenceResolvers,
    ),
};
