import { describe, expect, it } from 'vitest';
import { CsvPreviewError, decodeUtf8, previewCsv } from './csv-preview';

describe('the CSV preview', () => {
  it('reads the header and the first rows, with quotes, doubled quotes and line breaks', () => {
    const csv =
      '\uFEFFFirst name,Notes,E-mail\r\n' +
      'Ada,"Likes ""Engines"", and tea",ada@example.com\r\n' +
      '\r\n' +
      'Grace,"Two\nlines",grace@example.com\n' +
      'Alan,,alan@example.com\n' +
      'Katherine,,katherine@example.com\n';
    expect(previewCsv(csv)).toEqual({
      header: ['First name', 'Notes', 'E-mail'],
      rows: [
        ['Ada', 'Likes "Engines", and tea', 'ada@example.com'],
        ['Grace', 'Two\nlines', 'grace@example.com'],
        ['Alan', '', 'alan@example.com'],
      ],
    });
  });

  it('keeps a last row without a line break', () => {
    expect(previewCsv('a,b\n1,2').rows).toEqual([['1', '2']]);
  });

  it('says in words what is wrong with an empty file, a header alone, or an open quote', () => {
    expect(() => previewCsv('')).toThrow('The file is empty.');
    expect(() => previewCsv('\n\n')).toThrow('The file is empty.');
    expect(() => previewCsv('name,email\n')).toThrow('no rows to import');
    expect(() => previewCsv('name,notes\nAda,ok\nGrace,"never closed\nAlan,x')).toThrow(
      'starts on line 3',
    );
    expect(() => previewCsv(',,\nAda,,')).toThrow(CsvPreviewError);
  });

  it('accepts UTF-8 only', () => {
    expect(decodeUtf8(new TextEncoder().encode('Zoë,Łukasz').buffer)).toBe('Zoë,Łukasz');
    const latin1 = new Uint8Array([0x5a, 0x6f, 0xeb]).buffer; // "Zoë" in ISO-8859-1
    expect(() => decodeUtf8(latin1)).toThrow('not UTF-8');
  });
});
