import { yuanOf } from './yuan';

describe('yuanOf', () => {
  it('writes fen as yuan with two decimals, exactly', () => {
    expect([0, 5, 30_000, 123_456, -250].map(yuanOf)).toEqual(['0.00', '0.05', '300.00', '1234.56', '-2.50']);
    expect(yuanOf('900719925474099312')).toBe('9007199254740993.12');
  });
});
