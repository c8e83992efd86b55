import { cjkBigrams, tokenize } from './tokenizer';

describe('tokenize', () => {
  it('separates CJK runs from latin words and drops punctuation', () => {
    expect(tokenize('x射线衍射仪 (xrd), lc-ms/ms; 液相色谱-质谱联用仪')).toEqual([
      { kind: 'latin', text: 'x' },
      { kind: 'cjk', text: '射线衍射仪' },
      { kind: 'latin', text: 'xrd' },
      { kind: 'latin', text: 'lc' },
      { kind: 'latin', text: 'ms' },
      { kind: 'latin', text: 'ms' },
      { kind: 'cjk', text: '液相色谱' },
      { kind: 'cjk', text: '质谱联用仪' },
    ]);
  });

  it('keeps letters of any script with digits, and splits at hyphens and dots', () => {
    expect(tokenize('jem-2100f 0.23nm 5μm naïve v2.5.').map((token) => token.text)).toEqual([
      'jem',
      '2100f',
      '0',
      '23nm',
      '5μm',
      'naïve',
      'v2',
      '5',
    ]);
  });

  it('treats emoji, symbols and quotes as separators', () => {
    expect(tokenize("😀'a'\\b:*|!(c)&")).toEqual([
      { kind: 'latin', text: 'a' },
      { kind: 'latin', text: 'b' },
      { kind: 'latin', text: 'c' },
    ]);
  });

  it('keeps Extension B ideographs in CJK runs and drops Han characters PostgreSQL may not parse', () => {
    expect(tokenize('𠀀𠀁')).toEqual([{ kind: 'cjk', text: '𠀀𠀁' }]);
    expect(tokenize('〇々\u{2b739}')).toEqual([]);
  });
});

describe('cjkBigrams', () => {
  it('returns overlapping bigrams', () => {
    expect(cjkBigrams('质谱仪')).toEqual(['质谱', '谱仪']);
    expect(cjkBigrams('电镜')).toEqual(['电镜']);
  });

  it('returns a single character as is', () => {
    expect(cjkBigrams('镜')).toEqual(['镜']);
    expect(cjkBigrams('')).toEqual([]);
  });

  it('does not split surrogate pairs', () => {
    expect(cjkBigrams('𠀀𠀁质')).toEqual(['𠀀𠀁', '𠀁质']);
  });
});
