import { readFileSync } from 'node:fs';
import type { Logger } from '../../lib/logger';
import type { Upstream } from '../upstream';

export interface CatalogueNodeEntry {
  member: string;
  url: string;
  /** Where the entry came from: the member registry or the static file. */
  source: 'registry' | 'file';
}

/** Whether a node's schema fits the supergraph: INCOMPATIBLE nodes are refused (not routed to). */
export type NodeSchemaState = 'COMPATIBLE' | 'INCOMPATIBLE' | 'UNCHECKED';

export interface CheckedNodeEntry extends CatalogueNodeEntry {
  schema: NodeSchemaState;
  /** What the node's schema breaks (INCOMPATIBLE), or why it could not be checked (UNCHECKED). */
  problems: string[];
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
  members: {
    edges: Array<{ node: { code: string; catalogueNode: { endpointUrl: string; status: string } | null } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  } | null;
}

/**
 * Which member's catalogue lives at which node: read from the members subgraph's registrations at
 * start and then periodically (no gateway restart to add or remove a node), or from a static JSON
 * file `{ "<member code>": "<endpoint URL>" }` for offline setups. The file wins on conflicts.
 */
export class CatalogueRegistry {
  private entries = new Map<string, CheckedNodeEntry>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      membersUrl: string | undefined;
      /** The registry's own calls to the members subgraph (as SERVICE, within `timeoutMs`). */
      upstream: Upstream;
      timeoutMs: number;
      staticFile: string | undefined;
      refreshMs: number;
      logger: Logger;
      /**
       * Checks a node's schema against the supergraph: the problems found (none: compatible); throws when
       * the node cannot be asked. Without it every node counts as compatible.
       */
      checkSchema?: (url: string) => Promise<string[]>;
    },
  ) {}

  /** The node serving a member's catalogue, unless there is none or it was refused. */
  node(member: string): CheckedNodeEntry | undefined {
    const entry = this.entries.get(member);
    return entry?.schema === 'INCOMPATIBLE' ? undefined : entry;
  }

  /** Every node requests may go to (refused ones left out), by member code. */
  all(): CheckedNodeEntry[] {
    return this.everyNode().filter((e) => e.schema !== 'INCOMPATIBLE');
  }

  /** Every registered node, refused ones included, by member code. */
  everyNode(): CheckedNodeEntry[] {
    return [...this.entries.values()].sort((a, b) => a.member.localeCompare(b.member));
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
    const checked = new Map<string, CheckedNodeEntry>();
    await Promise.all([...next.values()].map(async (entry) => checked.set(entry.member, await this.check(entry))));
    const summary = (m: Map<string, CheckedNodeEntry>) =>
      [...m.values()]
        .map((e) => `${e.member}=${e.url}:${e.schema}`)
        .sort()
        .join(',');
    const changed = summary(this.entries) !== summary(checked);
    this.entries = checked;
    if (changed) this.options.logger.info({ nodes: this.everyNode() }, 'catalogue nodes');
  }

  /**
   * Checks a node's schema (on every refresh: a node may be upgraded in place). A node that cannot be asked
   * keeps the state it had at the same URL, or stays UNCHECKED: it is routed to, and its failures show there.
   */
  private async check(entry: CatalogueNodeEntry): Promise<CheckedNodeEntry> {
    const checkSchema = this.options.checkSchema;
    if (!checkSchema) return { ...entry, schema: 'COMPATIBLE', problems: [] };
    const previous = this.entries.get(entry.member);
    try {
      const problems = await checkSchema(entry.url);
      if (problems.length) {
        if (previous?.schema !== 'INCOMPATIBLE' || previous.url !== entry.url) {
          this.options.logger.error(
            { member: entry.member, url: entry.url, problems: problems.slice(0, 10) },
            'catalogue node refused: its schema is incompatible with the supergraph’s catalogue subgraph',
          );
        }
        return { ...entry, schema: 'INCOMPATIBLE', problems };
      }
      return { ...entry, schema: 'COMPATIBLE', problems: [] };
    } catch (error) {
      if (previous && previous.url === entry.url && previous.schema !== 'UNCHECKED')
        return { ...entry, ...pick(previous) };
      return { ...entry, schema: 'UNCHECKED', problems: [`schema not checked: ${(error as Error).message}`] };
    }
  }

  private async readRegistry(): Promise<CatalogueNodeEntry[]> {
    if (!this.options.membersUrl) return [];
    const entries: CatalogueNodeEntry[] = [];
    let after: string | null = null;
    do {
      const { members }: RegistryPage = await this.options.upstream.serviceQuery<RegistryPage>(
        this.options.membersUrl,
        REGISTRY_QUERY,
        { after },
        this.options.timeoutMs,
      );
      if (!members) throw new Error('no members in the answer');
      for (const { node } of members.edges) {
        if (node.catalogueNode?.status === 'ACTIVE') {
          entries.push({ member: node.code, url: node.catalogueNode.endpointUrl, source: 'registry' });
        }
      }
      after = members.pageInfo.hasNextPage ? members.pageInfo.endCursor : null;
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

const pick = (e: CheckedNodeEntry) => ({ schema: e.schema, problems: e.problems });
