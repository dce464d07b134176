import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '../principal.js';
import type { Scope } from '../scopes.js';

export const REQUIRED_SCOPE = 'genstream.auth.scope';

/** The scope a route needs; every route of a controller under AuthGuard must name one. */
export const RequireScope = (scope: Scope) => SetMetadata(REQUIRED_SCOPE, scope);

/** The authenticated caller of this request; undefined when the service runs with AUTH=off. */
export const Caller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ principal?: Principal }>().principal,
);
