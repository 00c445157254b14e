/** A PostgreSQL array literal: one parameter whatever the number of rows. */
export function arrayLiteral(values: (string | number)[]): string {
  return `{${values.map((value) => (typeof value === 'number' ? String(value) : `"${value.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
}
