/** PLACEHOLDER (H2): `parley numbers import FILE.csv`. */
export async function importNumbersCommand(_file: string, _options: { json?: boolean }): Promise<void> {
  await Promise.resolve();
}
