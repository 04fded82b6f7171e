import type { z } from 'zod';
import { badUserInput } from './errors';

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
