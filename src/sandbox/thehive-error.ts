/**
 * A TheHive error answer: the HTTP status and TheHive's `{type, message}` body (`NotFoundError` 404,
 * `BadRequest`/`CreateError`/`AttributeCheckingError` 400, `AuthenticationError` 401).
 */
export class TheHiveApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'TheHiveApiError';
  }

  /** The response body TheHive sends. */
  toBody(): { type: string; message: string } {
    return { type: this.type, message: this.message };
  }
}

/** 404 for an entity that does not exist (or that the caller cannot see). */
export function notFound(entity: string, idOrName: string): TheHiveApiError {
  return new TheHiveApiError(404, 'NotFoundError', `${entity} ${idOrName} not found`);
}

/** 400 for a request TheHive cannot make sense of. */
export function badRequest(message: string): TheHiveApiError {
  return new TheHiveApiError(400, 'BadRequest', message);
}
