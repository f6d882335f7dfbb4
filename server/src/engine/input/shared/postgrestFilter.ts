/**
 * A PostgREST filter string (Supabase's `.or()`): its constant text names a column and an
 * operator (`title.ilike.%…%`, `status.eq.…`), or it has no constant text at all (the whole
 * filter comes from elsewhere). Anything else called `or` (a schema's `.or(other)`) is not one.
 */
export const POSTGREST_OPERATOR = /[\w>"-]\.(?:not\.)?(?:eq|neq|gt|gte|lt|lte|like|ilike|is|in|cs|cd|ov|sl|sr|nxl|nxr|adj|fts|plfts|phfts|wfts|match|imatch|isdistinct)\./;

export function isPostgrestFilter(shape: string): boolean {
  return POSTGREST_OPERATOR.test(shape) || (shape.length > 0 && !/[^\u0000\u0001]/.test(shape));
}
