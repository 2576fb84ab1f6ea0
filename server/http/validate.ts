import type { z } from 'zod';
import { ValidationProblem, type FieldError } from './errors.js';

function fieldErrors(error: z.ZodError, where: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return {
        path: path || where,
        message: `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`,
      };
    }
    return { path: path || where, message: issue.message };
  });
}

/** Parses request input with a shared schema; bad input becomes a 400 naming every bad field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'params' | 'headers',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, where);
  const summary = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  throw new ValidationProblem(`the request ${where} is invalid: ${summary}`, errors);
}
