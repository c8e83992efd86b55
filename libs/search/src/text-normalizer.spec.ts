import { normalizeSearchText } from './text-normalizer';

describe('normalizeSearchText', () => {
  it('converts traditional Chinese (Taiwan and Hong Kong forms) to simplified', () => {
    expect(normalizeSearchText('質譜儀')).toBe('质谱仪');
    expect(normalizeSearchText('電鏡')).toBe('电镜');
    expect(normalizeSearchText('顯微鏡')).toBe('显微镜');
    expect(normalizeSearchText('傅裏葉 傅里葉')).toBe('傅里叶 傅里叶');
    expect(normalizeSearchText('衞生 綫')).toBe('卫生 线');
  });

  it('leaves simplified Chinese alone, including words that are also traditional', () => {
    expect(normalizeSearchText('程序升温 著名 透射电子显微镜')).toBe('程序升温 著名 透射电子显微镜');
  });

  it('maps full-width characters to half-width and lowercases', () => {
    expect(normalizeSearchText('ＬＣ－ＭＳ　ＮＭＲ（４００ＭＨｚ）')).toBe('lc-ms nmr(400mhz)');
  });

  it('collapses whitespace and removes NUL and control characters', () => {
    expect(normalizeSearchText('  mass\u0000spec\t\n trometer \u0007 ')).toBe('mass spec trometer');
  });

  it('returns an empty string for empty input', () => {
    expect(normalizeSearchText('')).toBe('');
    expect(normalizeSearchText(null)).toBe('');
    expect(normalizeSearchText(undefined)).toBe('');
    expect(normalizeSearchText(' \u3000 ')).toBe('');
  });
});
