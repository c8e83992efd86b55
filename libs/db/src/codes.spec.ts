import { codeLevel, codePrefix, isWithin, likeBelow, searchableCategoryNames } from './codes';

describe('codes', () => {
  it('reads levels and prefixes of six-digit codes', () => {
    expect([codeLevel('330000'), codeLevel('330100'), codeLevel('330106')]).toEqual([1, 2, 3]);
    expect([codePrefix('330000'), codePrefix('330100'), codePrefix('330106')]).toEqual(['33', '3301', '330106']);
    expect(likeBelow('330100')).toBe('3301%');
  });

  it('tells whether a code lies within a scope', () => {
    expect(isWithin('330106', '330000')).toBe(true);
    expect(isWithin('330106', '330100')).toBe(true);
    expect(isWithin('330106', '330106')).toBe(true);
    expect(isWithin('330203', '330100')).toBe(false);
    expect(isWithin('330100', '330106')).toBe(false);
  });

  it('gives the category names below level 1, the category first', () => {
    const categories = new Map([
      ['010000', { nameZh: '分析仪器', nameEn: 'Analytical instruments', parentCode: null }],
      ['010100', { nameZh: '电子光学仪器', nameEn: 'Electron optics', parentCode: '010000' }],
      ['010101', { nameZh: '透射电镜', nameEn: 'Transmission electron microscopes', parentCode: '010100' }],
    ]);
    expect(searchableCategoryNames(categories, '010101')).toEqual([
      '透射电镜',
      'Transmission electron microscopes',
      '电子光学仪器',
      'Electron optics',
    ]);
    expect(searchableCategoryNames(categories, '010000')).toEqual([]);
  });
});
