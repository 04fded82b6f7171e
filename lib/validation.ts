import { z } from 'zod';
import { badUserInput } from './errors';
import { isUuid } from './ids';

/**
 * Validates resolver input with zod; the first problem becomes a `BAD_USER_INPUT` error naming the
 * field by its path (`input.code`), and every problem is listed in `extensions.problems`.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, root: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: [root, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = problems[0]!;
  throw badUserInput(first.field, `${first.field}: ${first.message}`, { problems });
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** A required text field: trimmed, not empty, at most `max` characters. */
export const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A uuid naming an entity of the graph (possibly one that lives in another subgraph). */
export const uuidSchema = (what: string) => z.string().refine(isUuid, `must be ${what} id (a UUID)`);
