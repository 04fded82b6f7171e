/** What clients of the graph send, in turn (variables vary so no cache can answer them all). */
export function loadBodies(): string[] {
  const nested = `query Nested($first: Int!) { members(first: $first) { edges { node { code name
    sections { name } events(first: 3) { edges { node { title startsAt talks { title speakers { organisation { code } } } } } } } } } }`;
  const search = `query Search($query: String!) { catalogueSearch(query: $query, first: 10, groupBy: EDITION) {
    total hits { score record { id title year owner { code } } heldBy { member { code } holdingsCount } }
    facets { field values { value count } } nodes { member { code } status } } }`;
  const member = `query Member($code: String!) { memberByCode(code: $code) { name type
    catalogue { recordCount lastImportAt status } sections { name } events(first: 5) { totalCount edges { node { title } } } } }`;
  const events = `query Upcoming($first: Int!) { events(first: $first, filter: { when: UPCOMING }) { totalCount edges { node { title startsAt organisers { __typename } } } } }`;
  const words = ['история', 'библиотека', 'Кузбасс', 'поэзия', 'война и мир', 'краеведение', 'сказки', 'химия'];
  const codes = ['kemrsl', 'kemgik', 'tyazhin-mkuk', 'kemsu'];
  const bodies: string[] = [];
  for (let i = 0; i < 24; i++) {
    bodies.push(JSON.stringify({ query: nested, variables: { first: 3 + (i % 8) } }));
    bodies.push(JSON.stringify({ query: search, variables: { query: words[i % words.length] } }));
    bodies.push(JSON.stringify({ query: member, variables: { code: codes[i % codes.length] } }));
    bodies.push(JSON.stringify({ query: events, variables: { first: 5 + (i % 10) } }));
  }
  return bodies;
}
