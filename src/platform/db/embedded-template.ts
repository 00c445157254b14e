import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationTags } from './migrations-folder.js';

/**
 * A migrated embedded data directory, written by `npm run build` (dist/embedded-template), that a
 * first start copies instead of running initdb and every migration in WebAssembly (6.4 s became
 * about 1 s), which also keeps PGlite's heap, which never shrinks, ~150 MB smaller.
 * Same relative depth from src/ and dist/, so both find the built one.
 */
export const defaultTemplateDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../dist/embedded-template',
);

/** Beside the template: the migrations it holds, so a template from another version is skipped. */
export const manifestOf = (templateDir: string) => `${templateDir}.json`;

export interface TemplateManifest {
  migrations: string[];
}

/** PostgreSQL writes it when a data directory is complete; the seed copies it last. */
const COMPLETE_MARKER = 'PG_VERSION';

/** A template is usable when it holds no migration this version does not know. */
function isUsable(templateDir: string): boolean {
  if (!existsSync(path.join(templateDir, COMPLETE_MARKER))) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestOf(templateDir), 'utf8')) as TemplateManifest;
    const known = new Set(migrationTags());
    return Array.isArray(manifest.migrations) && manifest.migrations.every((tag) => known.has(tag));
  } catch {
    return false;
  }
}

/** Every directory and file under `root`, as paths relative to it. */
async function treeOf(root: string): Promise<{ directories: string[]; files: string[] }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const relative = (entry: (typeof entries)[number]) =>
    path.relative(root, path.join(entry.parentPath, entry.name));
  return {
    directories: entries.filter((entry) => entry.isDirectory()).map(relative),
    files: entries.filter((entry) => entry.isFile()).map(relative),
  };
}

// ~1,700 small files: copied a few at a time, the seed takes ~0.1 s instead of fs.cp's ~0.6 s.
const COPY_CONCURRENCY = 16;

/**
 * Fills a data directory that holds no database yet from the template, if a usable one exists,
 * and says whether it did. The directory may already hold the lock's files, so the copy goes
 * into it, with PG_VERSION last: a copy cut short is not a database, and the next start seeds
 * again. The caller holds the data directory's lock; `migrate` then adds newer migrations.
 */
export async function seedFromTemplate(
  location: string,
  templateDir: string = defaultTemplateDir,
): Promise<boolean> {
  if (existsSync(path.join(location, COMPLETE_MARKER)) || !isUsable(templateDir)) return false;
  const { directories, files } = await treeOf(templateDir);
  for (const directory of directories) await mkdir(path.join(location, directory), { recursive: true });
  const queue = files.filter((file) => file !== COMPLETE_MARKER);
  await Promise.all(
    Array.from({ length: COPY_CONCURRENCY }, async () => {
      for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
        await copyFile(path.join(templateDir, file), path.join(location, file));
      }
    }),
  );
  await copyFile(path.join(templateDir, COMPLETE_MARKER), path.join(location, COMPLETE_MARKER));
  return true;
}
