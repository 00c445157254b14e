import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { embeddedExtensions } from './database.js';
import { defaultTemplateDir, manifestOf, type TemplateManifest } from './embedded-template.js';
import { migrate } from './migrate.js';
import { migrationTags } from './migrations-folder.js';

/**
 * Writes the embedded template (see embedded-template.ts): a fresh on-disk PGlite, migrated and
 * checkpointed, built aside and renamed over any old one. Run by `npm run build`.
 */
export async function writeEmbeddedTemplate(templateDir: string = defaultTemplateDir): Promise<void> {
  const building = `${templateDir}.building`;
  await rm(building, { recursive: true, force: true });
  await mkdir(path.dirname(templateDir), { recursive: true });
  const client = await PGlite.create(building, { extensions: embeddedExtensions });
  try {
    await migrate(drizzle(client));
    await client.exec('CHECKPOINT');
  } finally {
    await client.close();
  }
  await rm(path.join(building, 'postmaster.pid'), { force: true });
  await rm(templateDir, { recursive: true, force: true });
  await rename(building, templateDir);
  const manifest: TemplateManifest = { migrations: migrationTags() };
  await writeFile(manifestOf(templateDir), `${JSON.stringify(manifest)}\n`);
}
