import { TsQuerySyntaxError, lexemesOf, parseTsQuery } from './tsquery-expression';

describe('parseTsQuery', () => {
  it('reads the empty query as null', () => {
    expect(parseTsQuery('')).toBeNull();
    expect(parseTsQuery('   ')).toBeNull();
  });

  it('gives & precedence over | and honours parentheses', () => {
    expect(parseTsQuery("'质谱' & ( 'mass' & 'spectromet' | 'spectrom':* )")).toEqual({
      kind: 'and',
      operands: [
        { kind: 'lexeme', lexeme: '质谱', prefix: false },
        {
          kind: 'or',
          operands: [
            { kind: 'and', operands: [{ kind: 'lexeme', lexeme: 'mass', prefix: false }, { kind: 'lexeme', lexeme: 'spectromet', prefix: false }] },
            { kind: 'lexeme', lexeme: 'spectrom', prefix: true },
          ],
        },
      ],
    });
    expect(parseTsQuery("'a' | 'b' & 'c'")).toEqual({
      kind: 'or',
      operands: [
        { kind: 'lexeme', lexeme: 'a', prefix: false },
        { kind: 'and', operands: [{ kind: 'lexeme', lexeme: 'b', prefix: false }, { kind: 'lexeme', lexeme: 'c', prefix: false }] },
      ],
    });
  });

  it('reads negation, phrase operators (as AND), weights and escaped quotes', () => {
    expect(parseTsQuery("!'a' <-> 'b':*AB <2> 'it''s'")).toEqual({
      kind: 'and',
      operands: [
        { kind: 'not', operand: { kind: 'lexeme', lexeme: 'a', prefix: false } },
        { kind: 'lexeme', lexeme: 'b', prefix: true },
        { kind: 'lexeme', lexeme: "it's", prefix: false },
      ],
    });
  });

  it('refuses text that is not a tsquery', () => {
    expect(() => parseTsQuery("'a' &")).toThrow(TsQuerySyntaxError);
    expect(() => parseTsQuery("('a'")).toThrow(TsQuerySyntaxError);
    expect(() => parseTsQuery("'a")).toThrow(TsQuerySyntaxError);
    expect(() => parseTsQuery("'a' 'b'")).toThrow(TsQuerySyntaxError);
  });

  it('lists the lexemes a query names, leaving out negated ones', () => {
    expect(lexemesOf(parseTsQuery("'a' & !'b' & ( 'c':* | 'd' )")).map((item) => item.lexeme)).toEqual(['a', 'c', 'd']);
  });
});
