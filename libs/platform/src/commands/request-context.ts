import type { FastifyRequest } from 'fastify';
import { v5 as uuidv5 } from 'uuid';
import { newId } from '@tsunagi/event-store';
import type { Principal } from '@tsunagi/domain';
import type { CommandContext } from './command-executor';

export type CommandRequest = FastifyRequest & { principal: Principal; idempotencyScope?: string };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** The command context of an HTTP request: its principal, correlation id (X-Correlation-Id or new) and idempotency scope. */
export function commandContextOf(request: CommandRequest): CommandContext {
  const given = request.headers['x-correlation-id'];
  return {
    principal: request.principal,
    correlationId: typeof given === 'string' && CORRELATION_ID.test(given) ? given : newId(),
    causationId: newId(),
    ...(request.idempotencyScope ? { idempotencyScope: request.idempotencyScope } : {}),
  };
}

const NEW_ID_NAMESPACE = '1b0d3f57-2f4a-4c55-9a0e-7d1f3c2b8e44';

/**
 * The id of something a command creates (an opportunity, a match, an hours entry). Under an Idempotency-Key
 * it is derived from the key, so a retry addresses the same thing instead of creating a second one.
 */
export function newIdFor(context: CommandContext, purpose: string): string {
  return context.idempotencyScope ? uuidv5(`${context.idempotencyScope}:${purpose}`, NEW_ID_NAMESPACE) : newId();
}
