/**
 * A small RFC 4180 reader for contact files: double-quoted fields may hold separators, newlines
 * and doubled quotes; a leading BOM (spreadsheet exports) is skipped and blank lines are no
 * records. The separator is a comma, or a semicolon when the first line has more of those (the
 * export of spreadsheets in locales that write decimal commas).
 */
export function parseCsv(text: string): string[][] {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const firstLine = text.slice(start, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  const separator = count(firstLine, ';') > count(firstLine, ',') ? ';' : ',';
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let isQuoted = false;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]?.trim() !== '') records.push(fields);
    fields = [];
    field = '';
  };
  for (let index = start; index < text.length; index++) {
    const char = text.charAt(index);
    if (isQuoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        isQuoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      field = '';
      isQuoted = true;
    } else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      endRecord();
    } else {
      field += char;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

export interface ContactFile {
  columns: string[];
  /** Columns the campaign does not declare: the server would refuse every row. */
  unknownColumns: string[];
  /** One object of custom fields per data row (empty cells left out). */
  rows: Record<string, string>[];
}

/**
 * A contact file: its first record names the campaign's fields (phone fields included), each
 * other record is a contact.
 */
export function readContactFile(text: string, declared: readonly string[]): ContactFile {
  const [header = [], ...records] = parseCsv(text);
  const columns = header.map((name) => name.trim());
  const known = new Set(declared);
  const unknownColumns = columns.filter((name) => name !== '' && !known.has(name));
  const rows = records.map((record) => {
    const fields: Record<string, string> = {};
    columns.forEach((name, index) => {
      const value = (record[index] ?? '').trim();
      if (name !== '' && value !== '') fields[name] = value;
    });
    return fields;
  });
  return { columns, unknownColumns, rows };
}
