import { readFile } from 'node:fs/promises';
import { loadConfig } from '../platform/config.js';
import { openDatabase } from '../platform/db/database.js';
import { migrate } from '../platform/db/migrate.js';
import { importInventory, inventoryFromCsv } from '../core/numbers/number-import.js';
import { CliError, printJson, printLine } from './output.js';

/**
 * `parley numbers import FILE.csv`: loads the operator's phone numbers into the store. Valid lines
 * are added as available numbers (with their area codes), numbers already known are skipped, and
 * refused lines are listed with the reason. The file is checked before the database is opened.
 */
export async function importNumbersCommand(file: string, options: { json?: boolean }): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const inputs = inventoryFromCsv(text);
  const config = loadConfig();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.PARLEY_DATA_DIR,
    poolSize: 2,
  });
  const report = await (async () => {
    try {
      await migrate(database.db);
      return await importInventory(database.db, inputs);
    } finally {
      await database.close();
    }
  })();
  if (options.json) return printJson(report);
  printLine(
    `${report.imported} number(s) imported, ${report.duplicates} already in the inventory, ` +
      `${report.invalid} refused (${report.total} line(s) read; ${report.areaCodesCreated} new area code(s)).`,
  );
  for (const problem of report.problems) printLine(`  line ${problem.line}: ${problem.message}`);
  if (report.invalid > report.problems.length) {
    printLine(`  … and ${report.invalid - report.problems.length} more refused line(s)`);
  }
}
