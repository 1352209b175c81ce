/** An error the API reports on purpose: an HTTP status, a stable code, and params for the message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    /** Extra members of the problem document (e.g. validation `errors`); never personal data. */
    readonly extensions: Record<string, unknown> = {},
    /** Response headers that go with it (e.g. `retry-after` on a 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'ApiError';
  }
}
