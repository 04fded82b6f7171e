import { Kind, parse, type ConstArgumentNode } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** Reads the subgraphs and their URLs from a supergraph's `join__Graph` enum. */
export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  const document = parse(supergraphSdl);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    return (definition.values ?? []).flatMap((value) => {
      const directive = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (name: string) => {
        const node = directive?.arguments?.find((a: ConstArgumentNode) => a.name.value === name)?.value;
        return node?.kind === Kind.STRING ? node.value : undefined;
      };
      const name = arg('name');
      const url = arg('url');
      return name && url ? [{ name, url }] : [];
    });
  }
  throw new Error('The supergraph has no join__Graph enum: is it a composed supergraph?');
}

/** The same supergraph with some subgraph URLs replaced (deployments rarely match the compose-time URLs). */
export function withSubgraphUrls(supergraphSdl: string, urls: Record<string, string>): string {
  let sdl = supergraphSdl;
  for (const [name, url] of Object.entries(urls)) {
    const pattern = new RegExp(`(@join__graph\\(name: "${name}", url: ")[^"]*(")`);
    if (!pattern.test(sdl)) throw new Error(`The supergraph has no subgraph named "${name}"`);
    sdl = sdl.replace(pattern, `$1${url}$2`);
  }
  return sdl;
}
