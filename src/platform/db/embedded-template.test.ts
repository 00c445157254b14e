import { PGlite } from '@electric-sql/pglite';
import { mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedExtensions } from './database.js';
import { manifestOf, seedFromTemplate } from './embedded-template.js';
import { migrationTags } from './migrations-folder.js';
import { writeEmbeddedTemplate } from './write-embedded-template.js';

/** Embedded only: a server database is created by its own administrator, not from a copy. */
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('the embedded template', () => {
  let root: string;
  let template: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'parley-template-test-'));
    template = path.join(root, 'template');
    await writeEmbeddedTemplate(template);
  }, 120_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function appliedMigrations(location: string): Promise<number> {
    const client = await PGlite.create(location, { extensions: embeddedExtensions });
    try {
      const { rows } = await client.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM parley_migrations',
      );
      return rows[0]?.count ?? 0;
    } finally {
      await client.close();
    }
  }

  it('seeds an empty data directory with every migration already applied', async () => {
    const location = path.join(root, 'fresh');
    expect(await seedFromTemplate(location, template)).toBe(true);
    expect(await appliedMigrations(location)).toBe(migrationTags().length);
  });

  it('never touches a directory that already holds a database', async () => {
    const location = path.join(root, 'existing');
    expect(await seedFromTemplate(location, template)).toBe(true);
    const client = await PGlite.create(location, { extensions: embeddedExtensions });
    await client.exec('CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)');
    await client.close();

    expect(await seedFromTemplate(location, template)).toBe(false);
    const reopened = await PGlite.create(location, { extensions: embeddedExtensions });
    expect((await reopened.query('SELECT id FROM kept')).rows).toEqual([{ id: 7 }]);
    await reopened.close();
  });

  it('seeds again over a copy that was cut short (no PG_VERSION yet)', async () => {
    const location = path.join(root, 'cut-short');
    await seedFromTemplate(location, template);
    await unlink(path.join(location, 'PG_VERSION'));
    expect(await seedFromTemplate(location, template)).toBe(true);
    expect(await appliedMigrations(location)).toBe(migrationTags().length);
  });

  it('skips a template holding a migration this version does not know', async () => {
    const manifest = JSON.parse(await readFile(manifestOf(template), 'utf8')) as { migrations: string[] };
    // The same database under another name, with a manifest from a newer version.
    const foreign = path.join(root, 'foreign');
    await symlink(template, foreign, 'dir');
    await writeFile(
      manifestOf(foreign),
      JSON.stringify({ migrations: [...manifest.migrations, '9999_from_a_newer_version'] }),
    );
    expect(await seedFromTemplate(path.join(root, 'not-seeded'), foreign)).toBe(false);
  });
});
