import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, ValidationError } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@tsunagi/domain';
import { DuplicateEventIdError, EventStoreError, WrongExpectedRevisionError } from '@tsunagi/event-store';
import { UnknownProjectionError } from '@tsunagi/projections';
import { ApiError } from './api-error';
import { messageFor, pickLanguage } from './messages';

const NEST_STATUS_CODES: Record<number, string> = {
  400: 'validation.failed',
  401: 'auth.missing_token',
  403: 'auth.forbidden',
  404: 'route.not_found',
  405: 'method.not_allowed',
  413: 'request.body_too_large',
  415: 'request.unsupported_media_type',
};

const DOMAIN_STATUS = { not_found: 404, conflict: 409, invalid: 422, forbidden: 403 } as const;

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'request.body_too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'request.unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'request.malformed_json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'request.malformed_json'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'request.malformed_json'],
};

/** Maps any error to an RFC 9457 problem document with a stable `code`, in Japanese or English. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) return new ApiError(DOMAIN_STATUS[error.kind], error.code, error.params);
  if (error instanceof WrongExpectedRevisionError) return new ApiError(409, 'concurrency.conflict');
  // Only an Idempotency-Key reused for another request derives the same event ids for other content.
  if (error instanceof DuplicateEventIdError) return new ApiError(422, 'idempotency.key_reused');
  if (error instanceof UnknownProjectionError) return new ApiError(404, 'projection.unknown', { name: error.projectionName });
  if (error instanceof EventStoreError) return new ApiError(503, 'service.unavailable');
  // Nest's Fastify adapter wraps Fastify's own 4xx errors (malformed JSON, body too large…) in an HttpException.
  if (error instanceof HttpException && error.cause instanceof Error && error.cause.name === 'FastifyError') return toApiError(error.cause);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return new ApiError(status, NEST_STATUS_CODES[status] ?? (status >= 500 ? 'internal' : `http.${status}`));
  }
  const fastify = error as { code?: string; statusCode?: number; name?: string };
  if (fastify.code && FASTIFY_CODES[fastify.code]) return new ApiError(...FASTIFY_CODES[fastify.code]);
  if (fastify.statusCode === 400 && (fastify.name === 'SyntaxError' || error instanceof SyntaxError)) {
    return new ApiError(400, 'request.malformed_json');
  }
  if (typeof fastify.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return new ApiError(fastify.statusCode, NEST_STATUS_CODES[fastify.statusCode] ?? `http.${fastify.statusCode}`);
  }
  return new ApiError(500, 'internal');
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown, logger: Logger): void {
  const apiError = toApiError(error);
  if (apiError.status >= 500 && !(error instanceof ApiError)) {
    // Log the error class and message, never the request body: bodies carry personal data.
    logger.error(`${request.method} ${request.routeOptions?.url ?? 'unknown route'} failed: ${describe(error)}`, (error as Error)?.stack);
  }
  const language = pickLanguage(request.headers['accept-language']);
  for (const [name, value] of Object.entries(apiError.headers)) void reply.header(name, value);
  void reply
    .status(apiError.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', language)
    .send({
      type: `urn:tsunagi:problem:${apiError.code}`,
      title: messageFor(apiError.code, 'en', apiError.params),
      status: apiError.status,
      code: apiError.code,
      detail: messageFor(apiError.code, language, apiError.params),
      instance: request.url.split('?')[0],
      ...apiError.extensions,
    });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), error, this.logger);
  }
}

const MAX_FIELD_LENGTH = 100;

/** Flattens class-validator errors to `{ field, rules }`, without echoing the rejected values. */
const MAX_ERRORS_SHOWN = 20;

export function validationProblem(errors: ValidationError[]): ApiError {
  const flat: { field: string; rules: string[] }[] = [];
  const walk = (list: ValidationError[], path: string) => {
    for (const error of list) {
      const field = path ? `${path}.${error.property}` : error.property;
      // Field names come from the client for unknown properties: never echo more than a short prefix.
      if (error.constraints) flat.push({ field: field.length > MAX_FIELD_LENGTH ? `${field.slice(0, MAX_FIELD_LENGTH)}…` : field, rules: Object.keys(error.constraints) });
      if (error.children?.length) walk(error.children, field);
    }
  };
  walk(errors, '');
  // A hostile body can fail thousands of rules; the first few tell the client what to fix.
  const shown = flat.slice(0, MAX_ERRORS_SHOWN);
  return new ApiError(400, 'validation.failed', {}, { errors: shown, ...(flat.length > shown.length ? { moreErrors: flat.length - shown.length } : {}) });
}
