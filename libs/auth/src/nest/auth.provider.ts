import { ConfigError } from '@genstream/errors';
import { SERVICE_CONFIG } from '@genstream/service';
import type { InjectionToken, Provider } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { authConfigProblems, type AuthConfig } from '../auth-config.js';
import { Authenticator } from '../authenticator.js';
import { JwtVerifier } from '../jwt-verifier.js';
import { ApiKeyRepository } from '../repositories/api-key.repository.js';
import { RateLimitRepository } from '../repositories/rate-limit.repository.js';
import { AUTHENTICATOR, AuthGuard } from './auth.guard.js';

/**
 * What `@UseGuards(AuthGuard)` needs, on the service's own Redis client (`redis`): the key store,
 * the shared rate limiter and the authenticator, configured by the service's AUTH_* variables
 * (a contradiction among them stops the start with a ConfigError).
 */
export function authProviders(
  redis: InjectionToken,
  keyPrefix: string | ((config: Record<string, unknown>) => string),
): Provider[] {
  return [
    AuthGuard,
    {
      provide: AUTHENTICATOR,
      inject: [redis, SERVICE_CONFIG],
      useFactory: (client: Redis, config: AuthConfig): Authenticator | null => {
        if (config.AUTH === 'off') return null;
        const prefix = typeof keyPrefix === 'string' ? keyPrefix : keyPrefix(config);
        const problems = authConfigProblems(config);
        if (problems.length > 0)
          throw new ConfigError(`invalid configuration:\n  - ${problems.join('\n  - ')}`, {
            details: { problems },
          });
        const jwks = config.AUTH_JWKS_URL;
        const jwt = jwks === undefined ? undefined : new JwtVerifier({ ...config, AUTH_JWKS_URL: jwks });
        return new Authenticator(
          new ApiKeyRepository(client, prefix),
          new RateLimitRepository(client, prefix),
          config,
          jwt,
        );
      },
    },
  ];
}
