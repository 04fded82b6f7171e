import { readFileSync } from 'node:fs';
import type { Logger } from '../lib/logger';

export interface CatalogueNodeEntry {
  member: string;
  url: string;
  /** Where the entry came from: the member registry or the static file. */
  source: 'registry' | 'file';
}

const REGISTRY_QUERY = /* GraphQL */ `
  query CatalogueNodes($after: String) {
    members(first: 100, after: $after) {
      edges {
        node {
          code
          catalogueNode {
            endpointUrl
            status
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface RegistryPage {
  data?: {
    members: {
      edges: Array<{ node: { code: string; catalogueNode: { endpointUrl: string; status: string } | null } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    } | null;
  };
  errors?: Array<{ message: string }>;
}

/**
 * Which member's catalogue lives at which node: read from the members subgraph's registrations at
 * start and then periodically (no gateway restart to add or remove a node), or from a static JSON
 * file `{ "<member code>": "<endpoint URL>" }` for offline setups. The file wins on conflicts.
 */
export class CatalogueRegistry {
  private entries = new Map<string, CatalogueNodeEntry>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      membersUrl: string | undefined;
      staticFile: string | undefined;
      refreshMs: number;
      logger: Logger;
    },
  ) {}

  node(member: string): CatalogueNodeEntry | undefined {
    return this.entries.get(member);
  }

  all(): CatalogueNodeEntry[] {
    return [...this.entries.values()];
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads both sources; a failing source keeps its previous entries rather than emptying the network. */
  async refresh(): Promise<void> {
    const next = new Map<string, CatalogueNodeEntry>();
    let fromRegistry: CatalogueNodeEntry[] | undefined;
    try {
      fromRegistry = await this.readRegistry();
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message }, 'catalogue registry not refreshed');
      fromRegistry = this.all().filter((e) => e.source === 'registry');
    }
    for (const entry of fromRegistry) next.set(entry.member, entry);
    for (const entry of this.readFile()) next.set(entry.member, entry);
    const before = [...this.entries.keys()].sort().join(',');
    this.entries = next;
    const after = [...next.keys()].sort().join(',');
    if (before !== after) this.options.logger.info({ nodes: this.all() }, 'catalogue nodes');
  }

  private async readRegistry(): Promise<CatalogueNodeEntry[]> {
    if (!this.options.membersUrl) return [];
    const entries: CatalogueNodeEntry[] = [];
    let after: string | null = null;
    do {
      const response = await fetch(this.options.membersUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: REGISTRY_QUERY, variables: { after } }),
        signal: AbortSignal.timeout(5_000),
      });
      const body = (await response.json()) as RegistryPage;
      if (!body.data?.members) throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
      for (const { node } of body.data.members.edges) {
        if (node.catalogueNode?.status === 'ACTIVE') {
          entries.push({ member: node.code, url: node.catalogueNode.endpointUrl, source: 'registry' });
        }
      }
      after = body.data.members.pageInfo.hasNextPage ? body.data.members.pageInfo.endCursor : null;
    } while (after);
    return entries;
  }

  private readFile(): CatalogueNodeEntry[] {
    if (!this.options.staticFile) return [];
    try {
      const parsed = JSON.parse(readFileSync(this.options.staticFile, 'utf8')) as Record<string, unknown>;
      return Object.entries(parsed)
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([member, url]) => ({ member, url, source: 'file' as const }));
    } catch (error) {
      this.options.logger.warn(
        { file: this.options.staticFile, reason: (error as Error).message },
        'catalogue nodes file unreadable',
      );
      return [];
    }
  }
}
