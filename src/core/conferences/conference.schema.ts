import { z } from 'zod';
import { accessLevels } from './conferences.tables.js';

/** A room's name: what the account calls it (not unique). */
export const roomNameSchema = z.string().trim().min(1, 'must not be empty').max(255);

/** A room access as clients give it; the PIN is what a caller keys in to enter with that level. */
export const roomAccessInputSchema = z.strictObject({
  pin: z
    .string()
    .trim()
    .regex(/^\d{4,10}$/, 'expected a PIN of 4 to 10 digits'),
  level: z.enum(accessLevels),
  phone_number: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{5,14}$/, 'expected an E.164 number such as "+33678912345"')
    .nullish(),
});

export const MAX_ACCESSES_PER_ROOM = 100;

/** A room's whole access list: PINs are unique within the room. */
export const roomAccessListSchema = z
  .array(roomAccessInputSchema)
  .max(MAX_ACCESSES_PER_ROOM, `a room has at most ${MAX_ACCESSES_PER_ROOM} accesses`)
  .superRefine((accesses, context) => {
    const seen = new Set<string>();
    for (const [index, access] of accesses.entries()) {
      if (seen.has(access.pin)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'pin'],
          message: `PIN ${access.pin} is given twice`,
        });
      }
      seen.add(access.pin);
    }
  })
  .transform((accesses) =>
    accesses.map((access) => ({
      pin: access.pin,
      level: access.level,
      phoneNumber: access.phone_number ?? null,
    })),
  );

export type RoomAccessInput = z.output<typeof roomAccessListSchema>[number];

/** What a room is made of; absent parts keep their value on update. */
export interface RoomInput {
  name?: string | undefined;
  isOpen?: boolean | undefined;
  accesses?: RoomAccessInput[] | undefined;
}
