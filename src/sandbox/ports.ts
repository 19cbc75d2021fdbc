/** Listening on a well-known default port when it is free, on any free port when it is not. */

/**
 * Starts a server on `requested` when given (0 = any free port); otherwise on `preferred`, falling back to a free
 * port if `preferred` is taken.
 */
export async function withPortFallback<T>(
  requested: number | undefined,
  preferred: number,
  start: (port: number) => Promise<T>,
): Promise<T> {
  if (requested !== undefined) return start(requested);
  try {
    return await start(preferred);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return start(0);
  }
}
