/**
 * A tsquery as PostgreSQL prints it (`'质谱' & ( 'mass' & 'spectromet' | 'spectrom':* )`), parsed
 * into a tree that an in-memory index can evaluate with exactly the matching rules PostgreSQL
 * applied when it built the query (stemming, stop words, prefixes). Phrase operators (<->, <N>)
 * are read as AND: the index keeps no positions, and the queries built here never contain them.
 */
export type TsQueryExpression =
  | { kind: 'lexeme'; lexeme: string; prefix: boolean }
  | { kind: 'and' | 'or'; operands: TsQueryExpression[] }
  | { kind: 'not'; operand: TsQueryExpression };

export class TsQuerySyntaxError extends Error {}

/** Parses PostgreSQL's text form of a tsquery; null for the empty query (which matches nothing). */
export function parseTsQuery(text: string): TsQueryExpression | null {
  const parser = new TsQueryParser(text);
  if (parser.atEnd()) return null;
  const expression = parser.parseOr();
  if (!parser.atEnd()) throw new TsQuerySyntaxError(`unexpected text at ${parser.position} in tsquery: ${text}`);
  return expression;
}

/** Every lexeme the expression names (to rank documents by how many they contain). */
export function lexemesOf(expression: TsQueryExpression | null): { lexeme: string; prefix: boolean }[] {
  if (!expression) return [];
  switch (expression.kind) {
    case 'lexeme':
      return [{ lexeme: expression.lexeme, prefix: expression.prefix }];
    case 'not':
      return [];
    default:
      return expression.operands.flatMap(lexemesOf);
  }
}

/** Recursive descent by precedence: | below & (and phrase) below !. */
class TsQueryParser {
  position = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    this.skipSpaces();
    return this.position >= this.text.length;
  }

  parseOr(): TsQueryExpression {
    const operands = [this.parseAnd()];
    while (this.consume('|')) operands.push(this.parseAnd());
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(): TsQueryExpression {
    const operands = [this.parseUnary()];
    while (this.consume('&') || this.consumePhraseOperator()) operands.push(this.parseUnary());
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  private parseUnary(): TsQueryExpression {
    if (this.consume('!')) return { kind: 'not', operand: this.parseUnary() };
    if (this.consume('(')) {
      const inner = this.parseOr();
      if (!this.consume(')')) throw new TsQuerySyntaxError(`missing ) at ${this.position} in tsquery: ${this.text}`);
      return inner;
    }
    return this.parseLexeme();
  }

  private parseLexeme(): TsQueryExpression {
    this.skipSpaces();
    if (this.text[this.position] !== "'") throw new TsQuerySyntaxError(`expected a quoted lexeme at ${this.position} in tsquery: ${this.text}`);
    this.position++;
    let lexeme = '';
    for (;;) {
      const character = this.text[this.position++];
      if (character === undefined) throw new TsQuerySyntaxError(`unterminated lexeme in tsquery: ${this.text}`);
      if (character === '\\') {
        lexeme += this.text[this.position++] ?? '';
      } else if (character === "'") {
        if (this.text[this.position] !== "'") break;
        lexeme += "'";
        this.position++;
      } else {
        lexeme += character;
      }
    }
    // Suffix ':' then '*' (prefix) and/or weight letters.
    let prefix = false;
    if (this.text[this.position] === ':') {
      this.position++;
      while (/[*ABCDabcd]/.test(this.text[this.position] ?? '')) {
        if (this.text[this.position] === '*') prefix = true;
        this.position++;
      }
    }
    return { kind: 'lexeme', lexeme, prefix };
  }

  private consume(token: string): boolean {
    this.skipSpaces();
    if (this.text[this.position] !== token) return false;
    this.position++;
    return true;
  }

  private consumePhraseOperator(): boolean {
    this.skipSpaces();
    const match = /^<(-|\d+)>/.exec(this.text.slice(this.position, this.position + 8));
    if (!match) return false;
    this.position += match[0].length;
    return true;
  }

  private skipSpaces(): void {
    while (this.text[this.position] === ' ') this.position++;
  }
}
