import { describe, expect, it } from 'vitest';
import {
  assertSize,
  assertTransition,
  chunkCount,
  classifyContent,
  downloadName,
  extensionFor,
  fileNameProblem,
  objectKey,
  sanitizeFileName,
  utf8TextChecker,
} from '../../main/modules/documents/rules';

describe('document rules', () => {
  it('sanitizes a name: trimmed, every character but a letter, digit or hyphen becomes a hyphen', () => {
    expect(sanitizeFileName('  Passport scan (2026).pdf ')).toBe('Passport-scan--2026--pdf');
    expect(sanitizeFileName('Año_fiscal-2025.csv')).toBe('Año-fiscal-2025-csv');
    expect(sanitizeFileName('déclaration № 5.pdf')).toBe('déclaration---5-pdf');
  });

  it('maps content types to storage extensions as DOMAIN 3 says', () => {
    expect(extensionFor('application/pdf')).toBe('.pdf');
    expect(extensionFor('text/csv')).toBe('.csv');
    expect(extensionFor('image/png')).toBe('');
    expect(objectKey('0b9c', 'application/pdf')).toBe('documents/customer_document/0b9c.pdf');
    expect(objectKey('0b9c', 'image/jpeg')).toBe('documents/customer_document/0b9c');
  });

  it('saves a download under the sanitized stem and the real type’s extension', () => {
    expect(downloadName('Passport scan.pdf', 'application/pdf')).toBe('Passport-scan.pdf');
    expect(downloadName('photo.PDF', 'image/png')).toBe('photo.png');
    expect(downloadName('.hidden', 'text/csv')).toBe('-hidden.csv');
  });

  it.each([
    ['passport.pdf', null],
    ['  spaced name.pdf  ', null],
    ['', 'empty'],
    ['   ', 'empty'],
    ['a'.repeat(255), null],
    ['a'.repeat(256), 'tooLong'],
    [`${'a'.repeat(296)}.pdf`, 'tooLong'],
    ['dir/file.pdf', 'separator'],
    ['dir\\file.pdf', 'separator'],
    ['..', 'dotDot'],
    ['file..pdf', 'dotDot'],
    ['tab\there.pdf', 'control'],
    ['nul\0.pdf', 'control'],
    ['del\u007f.pdf', 'control'],
    ['invoice\u202Efdp.exe', 'bidi'],
    ['a\u200Fb.pdf', 'bidi'],
    ['a\u2066b\u2069.pdf', 'bidi'],
  ])('file name %j → %s', (name, problem) => {
    expect(fileNameProblem(name)).toBe(problem);
  });

  it('bounds the size: zero bytes and over the limit are refused', () => {
    expect(() => assertSize(0, 100)).toThrow('DOCUMENT_EMPTY');
    expect(() => assertSize(101, 100)).toThrow('DOCUMENT_TOO_LARGE');
    expect(() => assertSize(100, 100)).not.toThrow();
    expect(chunkCount(1)).toBe(1);
    expect(chunkCount(1024 * 1024)).toBe(1);
    expect(chunkCount(1024 * 1024 + 1)).toBe(2);
  });

  it('classifies content from the detected type; CSV only by name and UTF-8 text', () => {
    expect(classifyContent({ detected: 'application/pdf', fileName: 'x.csv', utf8Text: true })).toBe(
      'application/pdf',
    );
    expect(classifyContent({ detected: 'image/heif', fileName: 'x.heic', utf8Text: false })).toBe(
      'image/heic',
    );
    expect(classifyContent({ detected: undefined, fileName: 'x.CSV ', utf8Text: true })).toBe('text/csv');
    expect(classifyContent({ detected: undefined, fileName: 'x.txt', utf8Text: true })).toBe(
      'application/octet-stream',
    );
    expect(classifyContent({ detected: undefined, fileName: 'x.csv', utf8Text: false })).toBe(
      'application/octet-stream',
    );
  });

  it('checks UTF-8 across chunk boundaries and refuses NUL', () => {
    const e = Buffer.from('é'); // two bytes, split across chunks
    const ok = utf8TextChecker();
    ok.push(Buffer.concat([Buffer.from('a,'), e.subarray(0, 1)]), false);
    ok.push(Buffer.concat([e.subarray(1), Buffer.from('\n')]), true);
    expect(ok.ok).toBe(true);
    const truncated = utf8TextChecker();
    truncated.push(e.subarray(0, 1), true);
    expect(truncated.ok).toBe(false);
    const nul = utf8TextChecker();
    nul.push(Buffer.from('a\0b'), true);
    expect(nul.ok).toBe(false);
  });

  it('follows the status table', () => {
    expect(() => assertTransition('archive', 'active')).not.toThrow();
    expect(() => assertTransition('archive', 'archived')).toThrow('DOCUMENT_STATUS');
    expect(() => assertTransition('delete', 'archived')).not.toThrow();
    expect(() => assertTransition('delete', 'deleted')).toThrow('DOCUMENT_STATUS');
    expect(() => assertTransition('retry', 'failed')).not.toThrow();
    expect(() => assertTransition('retry', 'active')).toThrow('DOCUMENT_STATUS');
    expect(() => assertTransition('download', 'failed')).toThrow('DOCUMENT_STATUS');
  });
});
