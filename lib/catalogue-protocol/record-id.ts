/**
 * A catalogue record's public id is `<member code>:<control number>`: the gateway routes a record to its
 * owner's node by the part before the first colon (control numbers may hold colons themselves).
 */

export const recordIdOf = (memberCode: string, controlNumber: string): string => `${memberCode}:${controlNumber}`;

/** Splits a public record id; null when malformed (no member code or no control number). */
export function parseRecordId(id: string): { memberCode: string; controlNumber: string } | null {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return null;
  return { memberCode: id.slice(0, colon), controlNumber: id.slice(colon + 1) };
}

/**
 * The member a record id names, for routing: the part before the first colon (the owner's node answers
 * `null` for an id whose control number is missing); undefined when there is none.
 */
export function ownerOfRecord(id: unknown): string | undefined {
  const colon = typeof id === 'string' ? id.indexOf(':') : -1;
  return colon > 0 ? (id as string).slice(0, colon) : undefined;
}
