/** A page of a list: its items and the cursor of the next page (absent on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Options of a listing: where to start and how many per page. */
export interface PageOptions {
  cursor?: string | null;
  limit?: number;
}

/** The query of one page. */
export function pageQuery(options: PageOptions = {}): Record<string, string> {
  const query: Record<string, string> = {};
  if (options.cursor) query.cursor = options.cursor;
  if (options.limit !== undefined) query.limit = String(options.limit);
  return query;
}

/** Read a list answer: the items under `field` and its `next_cursor`. */
export function pageOf<T>(body: Record<string, unknown>, field: string): Page<T> {
  const items = (body[field] ?? []) as T[];
  const next = body.next_cursor;
  return { items, nextCursor: typeof next === "string" && next !== "" ? next : null };
}

/** Every item of a paginated list, page after page, until a page has no `next_cursor`. */
export async function* allItems<T>(
  fetchPage: (options: PageOptions) => Promise<Page<T>>, limit?: number,
): AsyncGenerator<T> {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await fetchPage({ cursor, limit });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== null);
}
