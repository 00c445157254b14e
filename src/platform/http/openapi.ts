import type { TypedApp } from './typed-app.js';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

const NATIVE_PREFIX = '/api/';

/**
 * The native OpenAPI document is generated from the route schemas; compatibility faces follow
 * their products' own documents and are hidden from it.
 */
export async function registerOpenApi(app: TypedApp, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Parley API',
        version,
        description: 'Parley native API. Authenticate with `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      if (input.url.startsWith(NATIVE_PREFIX)) return transformed;
      return { ...transformed, schema: { ...transformed.schema, hide: true } };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
