import { toCsv } from './csv';

describe('toCsv', () => {
  const columns = [
    { header: 'name', value: (row: { name: string; hours: number | null }) => row.name },
    { header: 'hours', value: (row: { name: string; hours: number | null }) => row.hours },
  ];

  it('writes a BOM, a header and CRLF rows, quoting only where needed', () => {
    expect(toCsv(columns, [{ name: '浙江大学', hours: 1.5 }, { name: 'A "big", lab', hours: null }])).toBe(
      '\uFEFFname,hours\r\n浙江大学,1.5\r\n"A ""big"", lab",\r\n',
    );
  });

  it('keeps spreadsheet formulas from running', () => {
    expect(toCsv(columns, [{ name: '=HYPERLINK("x")', hours: -1 }])).toBe('\uFEFFname,hours\r\n"\'=HYPERLINK(""x"")",-1\r\n');
    expect(toCsv(columns, [{ name: '-1+2', hours: null }])).toBe("\uFEFFname,hours\r\n'-1+2,\r\n");
  });

  it('leaves negative amounts written as text (yuan) alone', () => {
    expect(toCsv(columns, [{ name: '-500.00', hours: null }, { name: '-3', hours: null }])).toBe('\uFEFFname,hours\r\n-500.00,\r\n-3,\r\n');
  });
});
