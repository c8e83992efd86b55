import { parseYuanToFen } from './format';

describe('parseYuanToFen', () => {
  it.each([
    ['8000', 800_000],
    ['8,000', 800_000],
    ['1234.5', 123_450],
    ['¥1,234.56', 123_456],
    ['￥ 12', 1_200],
    ['0.01', 1],
    ['８，０００．５元', 800_050],
    ['8000 元', 800_000],
  ])('reads %s as %i fen', (text, fen) => {
    expect(parseYuanToFen(text)).toBe(fen);
  });

  it.each(['', '0', '-5', '1,00', '.5', '1.', '1.234', 'abc', '99999999999999999'])('refuses %p', (text) => {
    expect(parseYuanToFen(text)).toBeNull();
  });
});
