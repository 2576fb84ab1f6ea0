import { generateKeyBetween } from 'fractional-indexing';

/** A rank strictly between two neighbours; `null` stands for the column's edge. */
export function rankBetween(lower: string | null, upper: string | null): string {
  return generateKeyBetween(lower, upper);
}

export function rankAtTop(first: string | null): string {
  return generateKeyBetween(null, first);
}
