/**
 * Which libraries' queues a new enquiry goes to: the library the reader chose; else every library that
 * declared a BBK class the enquiry's topic falls under (its prefix); else none — the network's queue, which
 * every member may take from.
 */
export function routeEnquiry(
  enquiry: { preferredMemberId: string | null; topic: string | null },
  topics: ReadonlyArray<{ memberId: string; bbkPrefix: string }>,
): string[] {
  if (enquiry.preferredMemberId) return [enquiry.preferredMemberId];
  const topic = normaliseBbk(enquiry.topic ?? '');
  if (!topic) return [];
  const members = topics.filter((t) => topic.startsWith(normaliseBbk(t.bbkPrefix))).map((t) => t.memberId);
  return [...new Set(members)].sort();
}

/** A BBK class as compared: no spaces, case-insensitive (librarians write «63.3(2рос)» and «63.3 (2Рос)»). */
export function normaliseBbk(bbk: string): string {
  return bbk.replace(/\s+/g, '').toLowerCase();
}
