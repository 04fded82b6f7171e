/** What routing looks at: the library the reader chose and the enquiry's topic (a BBK class). */
export interface RoutedEnquiry {
  preferredMemberId: string | null;
  topic: string | null;
}

/**
 * Which libraries' queues a new enquiry goes to: the library the reader chose; else every library that
 * declared a BBK class the enquiry's topic falls under (its prefix); else, for a topic nobody declared, the
 * answering members of the partnership's reference and bibliographic service section (`sectionMembers`, looked
 * up by section-members.ts); else none — the network's queue, which every member may take from. An enquiry
 * without a topic goes to the network's queue too: there is nothing to route it by.
 */
export function routeEnquiry(
  enquiry: RoutedEnquiry,
  topics: ReadonlyArray<{ memberId: string; bbkPrefix: string }>,
  sectionMembers: readonly string[] = [],
): string[] {
  if (enquiry.preferredMemberId) return [enquiry.preferredMemberId];
  const topic = normaliseBbk(enquiry.topic ?? '');
  if (!topic) return [];
  const members = topics.filter((t) => topic.startsWith(normaliseBbk(t.bbkPrefix))).map((t) => t.memberId);
  return [...new Set(members.length ? members : sectionMembers)].sort();
}

/** Whether `routeEnquiry` would give this enquiry to the section's members: worth looking them up only then. */
export function routesToSection(
  enquiry: RoutedEnquiry,
  topics: ReadonlyArray<{ memberId: string; bbkPrefix: string }>,
): boolean {
  return !enquiry.preferredMemberId && !!normaliseBbk(enquiry.topic ?? '') && !routeEnquiry(enquiry, topics).length;
}

/** A BBK class as compared: no spaces, case-insensitive (librarians write «63.3(2рос)» and «63.3 (2Рос)»). */
export function normaliseBbk(bbk: string): string {
  return bbk.replace(/\s+/g, '').toLowerCase();
}
