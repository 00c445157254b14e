import { describe, expect, it } from 'vitest';
import { extensionOfFileName, MAX_FILE_NAME_LENGTH, normalizeFileName } from './file-names.js';

describe('normalizeFileName', () => {
  it.each([
    ['../../../../etc/evil.html', 'evil.html'],
    ['C:\\Users\\eve\\report.pdf', 'report.pdf'],
    ['..\\..//mixed/..\\name.txt', 'name.txt'],
    ['.htaccess', 'htaccess'],
    ['...', 'file'],
    ['dir/', 'file'],
    ['', 'file'],
    [null, 'file'],
    ['  spaced name.txt  ', 'spaced name.txt'],
    ['tab\there\u0000nul\u007fdel\u0085.txt', 'tabherenuldel.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['zero\u200Bwidth.png', 'zerowidth.png'],
    ['café.pdf', 'café.pdf'],
    ['日本語.docx', '日本語.docx'],
  ])('%j becomes %j', (input, expected) => {
    expect(normalizeFileName(input)).toBe(expected);
  });

  it('cuts long names but keeps their extension', () => {
    const name = normalizeFileName(`${'a'.repeat(500)}.mp3`);

    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name.endsWith('a.mp3')).toBe(true);
  });

  it('never cuts inside a character outside the BMP', () => {
    const name = normalizeFileName('😀'.repeat(300));

    expect(Array.from(name)).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(name).toBe('😀'.repeat(MAX_FILE_NAME_LENGTH));
  });

  it('reads a short alphanumeric extension', () => {
    expect(extensionOfFileName('evil.HTML')).toBe('html');
    expect(extensionOfFileName('archive.tar.gz')).toBe('gz');
    expect(extensionOfFileName('noext')).toBe('');
    expect(extensionOfFileName('weird.ex e')).toBe('');
  });
});
