import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../../platform/db/database.js';
import { instanceSecret } from '../../platform/auth/instance-secrets.js';

/**
 * SIP digest authentication needs the password itself (or a per-realm digest of it) and CALLR's
 * `SIP.Subscriber` shows the password back, so subscriber passwords are kept encrypted rather
 * than hashed: AES-256-GCM under a key derived from an instance secret, so a database dump alone
 * does not reveal them, and a tampered ciphertext fails to open instead of yielding garbage.
 */

const SECRET_NAME = 'sip-subscriber-passwords';
const FORMAT = 'v1';

async function keyOf(db: Db): Promise<Buffer> {
  const secret = await instanceSecret(db, SECRET_NAME);
  return createHash('sha256').update(`parley-sip-password-key:${secret}`).digest();
}

export async function sealSipPassword(db: Db, password: string): Promise<string> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await keyOf(db), iv);
  const sealed = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return [
    FORMAT,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    sealed.toString('base64url'),
  ].join(':');
}

export async function openSipPassword(db: Db, ciphertext: string): Promise<string> {
  return openWithKey(await keyOf(db), ciphertext);
}

/** Opens many at once with one key lookup (lists). */
export async function sipPasswordOpener(db: Db): Promise<(ciphertext: string) => string> {
  const key = await keyOf(db);
  return (ciphertext) => openWithKey(key, ciphertext);
}

function openWithKey(key: Buffer, ciphertext: string): string {
  const [format, iv = '', tag = '', sealed = ''] = ciphertext.split(':');
  if (format !== FORMAT) throw new Error(`unknown SIP password format ${format}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString(
    'utf8',
  );
}

// No look-alike characters (0/O, 1/l/I): people type these into desk phones.
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const PASSWORD_LENGTH = 16;

/** A fresh subscriber password: 16 characters, about 93 bits. */
export function generateSipPassword(): string {
  let password = '';
  for (let index = 0; index < PASSWORD_LENGTH; index += 1) {
    password += PASSWORD_ALPHABET.charAt(randomInt(PASSWORD_ALPHABET.length));
  }
  return password;
}
