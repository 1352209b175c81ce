import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import type { Principal, Role } from '@tsunagi/domain';
import { TokenService } from './token.service';

const PUBLIC = 'tsunagi:public';
const ROLES_ALLOWED = 'tsunagi:roles';

/** Open to anyone, signed in or not (health checks, API docs). */
export const Public = () => SetMetadata(PUBLIC, true);
/** The roles that may call a route. Object-level rules (own proposals, own ward…) are checked in handlers. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_ALLOWED, roles);

export type AuthenticatedRequest = FastifyRequest & { principal: Principal };

/**
 * The global guard: every route needs a valid bearer token and must declare its roles with `@Roles`,
 * or be marked `@Public`. A route that declares neither is refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new ApiError(401, 'auth.missing_token');
    try {
      request.principal = this.tokens.verify(match[1]);
    } catch {
      throw new ApiError(401, 'auth.invalid_token');
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_ALLOWED, targets);
    if (!allowed || !allowed.includes(request.principal.role)) throw new ApiError(403, 'auth.forbidden');
    return true;
  }
}
