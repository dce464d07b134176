import { httpError } from '@genstream/service';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthFailure } from '../auth-failure.js';
import type { Authenticator, CredentialHeaders } from '../authenticator.js';
import type { Principal } from '../principal.js';
import type { Scope } from '../scopes.js';
import { REQUIRED_SCOPE } from './auth.decorators.js';

/** The service's Authenticator, or null when it runs with AUTH=off. */
export const AUTHENTICATOR = Symbol('genstream.auth.authenticator');

interface GuardedRequest {
  readonly headers: CredentialHeaders;
  principal?: Principal;
}

interface Answer {
  setHeader(name: string, value: string): void;
}

/**
 * `@UseGuards(AuthGuard)` on a controller: each route runs only for a caller whose credential
 * holds the route's `@RequireScope`, within its rate limit; the caller is then `@Caller()`.
 * Refusals are JSON errors: 401 (with `WWW-Authenticate`), 403, 429 (with `Retry-After`).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator | null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.get<Scope | undefined>(REQUIRED_SCOPE, context.getHandler());
    // Fails closed: a route someone forgot to give a scope is refused, not opened.
    if (!scope)
      throw new Error(`route ${context.getClass().name}.${context.getHandler().name} names no scope`);
    if (!this.authenticator) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<GuardedRequest>();
    try {
      request.principal = await this.authenticator.authorize(request.headers, scope);
      return true;
    } catch (error) {
      if (!(error instanceof AuthFailure)) throw error;
      const answer = http.getResponse<Answer>();
      if (error.status === 401) answer.setHeader('WWW-Authenticate', 'Bearer realm="genstream"');
      if (error.retryAfterMs !== undefined)
        answer.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
      throw httpError(error.status, error.code, error.message);
    }
  }
}
