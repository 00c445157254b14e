import { z } from 'zod';
import { jsonObject } from '../../platform/http/bounded-json.js';
import type { AppContext } from '../../platform/app-context.js';
import type { TypedApp } from '../../platform/http/typed-app.js';
import { publicUrl } from '../../platform/config.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { createUser, findUserByEmail, getUser } from '../../core/identity/users.js';
import { platformUserToken } from '../../core/identity/platform-user-token.js';
import { listUserAccountMemberships } from '../../core/identity/profile.js';
import { deleteUser, updateUserProfile } from '../../core/identity/user-lifecycle.js';
import { issueSsoLoginToken } from '../../core/identity/sso.js';
import type { UserRow } from '../../core/identity/identity.tables.js';
import { requirePlatformApp } from './access.js';
import { chatwootErrors, chatwootId, sendEmptyOk } from './admin-schemas.js';
import { chatwootUserSchema, toChatwootUser } from './serializers/user.js';

const tags = ['Users'];
const userParams = z.object({ id: chatwootId });

/** Chatwoot's password rule: at least 6 characters with upper and lower case, a digit and a symbol. */
const password = z
  .string()
  .min(6)
  .max(200)
  .refine(
    (value) => /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value) && /[^A-Za-z0-9]/.test(value),
    {
      message: 'must contain uppercase, lowercase letters, number and a special character',
    },
  );

/** Seed `user_create_update_payload`. */
const userBody = z.object({
  name: z.string().trim().min(1).max(255).optional(),
  display_name: z.string().max(255).optional(),
  email: z.email().max(320).optional(),
  password: password.optional(),
  custom_attributes: jsonObject().optional(),
});
const userCreateBody = userBody.extend({
  name: z.string().trim().min(1).max(255),
  email: z.email().max(320),
});

export function registerPlatformUsersRoutes(app: TypedApp, ctx: AppContext): void {
  const base = '/platform/api/v1/users';
  const serialize = async (user: UserRow, accessToken?: string) =>
    toChatwootUser(user, await listUserAccountMemberships(ctx.db, user.id), accessToken);

  app.post(
    base,
    {
      schema: {
        tags,
        summary: 'Create a user (an existing email returns that user), with its access token',
        body: userCreateBody,
        response: { 200: chatwootUserSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const body = request.body;
      // The slow password hash runs before the transaction opens.
      const passwordHash = body.password ? await hashPassword(body.password) : undefined;
      const user =
        (await findUserByEmail(ctx.db, body.email)) ??
        (await createUser(ctx.db, {
          name: body.name,
          email: body.email,
          displayName: body.display_name,
          passwordHash,
          customAttributes: body.custom_attributes,
        }));
      return serialize(user, await platformUserToken(ctx.db, user.id));
    },
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Get a user with its access token',
        params: userParams,
        response: { 200: chatwootUserSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const user = await getUser(ctx.db, request.params.id);
      return serialize(user, await platformUserToken(ctx.db, user.id));
    },
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Update a user',
        params: userParams,
        body: userBody,
        response: { 200: chatwootUserSchema, ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const body = request.body;
      const user = await updateUserProfile(ctx.db, request.params.id, {
        name: body.name,
        displayName: body.display_name,
        email: body.email,
        password: body.password,
        customAttributes: body.custom_attributes,
      });
      return serialize(user, await platformUserToken(ctx.db, user.id));
    },
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a user from every account',
        params: userParams,
        response: { 200: z.null(), ...chatwootErrors },
      },
    },
    async (request, reply) => {
      requirePlatformApp(request);
      await deleteUser(ctx.db, request.params.id, { type: 'platform' });
      return sendEmptyOk(reply);
    },
  );

  app.get(
    `${base}/:id/login`,
    {
      schema: {
        tags,
        summary: 'A single-use, ten-minute sign-in link for the user',
        params: userParams,
        response: { 200: z.object({ url: z.string() }), ...chatwootErrors },
      },
    },
    async (request) => {
      requirePlatformApp(request);
      const { token, email } = await issueSsoLoginToken(ctx.db, request.params.id);
      const query = new URLSearchParams({ email, sso_auth_token: token });
      return { url: `${publicUrl(ctx.config).replace(/\/+$/, '')}/app/login?${query.toString()}` };
    },
  );
}
