import { expandTerm, matchSynonymAt, synonymUnits } from './synonyms';
import { normalizeSearchText } from './text-normalizer';

describe('expandTerm', () => {
  it('expands colloquial Chinese abbreviations to the full names and English', () => {
    expect(expandTerm('电镜')).toEqual(['电镜', '电子显微镜', 'electron microscope', 'electron microscopy']);
    expect(expandTerm('质谱')).toEqual(expect.arrayContaining(['质谱', '质谱仪', 'mass spectrometer']));
  });

  it('expands instrument-type aliases to the names of the type', () => {
    expect(expandTerm('液质联用')).toEqual(
      expect.arrayContaining(['液质联用', '液相色谱-质谱联用仪', 'liquid chromatograph-mass spectrometer', 'lc-ms']),
    );
    expect(expandTerm('nmr')).toEqual(expect.arrayContaining(['核磁共振波谱仪', '核磁', 'nuclear magnetic resonance']));
    expect(expandTerm('xrd')).toEqual(expect.arrayContaining(['x射线衍射仪', 'x-ray diffractometer']));
    expect(expandTerm('tem')).toEqual(expect.arrayContaining(['透射电子显微镜', '透射电镜']));
    expect(expandTerm('sem')).toEqual(expect.arrayContaining(['扫描电子显微镜', '扫描电镜']));
  });

  it('matches multi-word latin terms whatever the punctuation, and ignores a plural s', () => {
    expect(expandTerm('lc ms')).toContain('液质联用');
    expect(expandTerm('lc-ms')).toContain('液质联用');
    expect(expandTerm('mass spectrometer')).toContain('质谱');
    expect(expandTerm('electron microscopes')).toContain('电镜');
  });

  it('keeps the term first and does not repeat spellings that look up the same', () => {
    const expanded = expandTerm('lc-ms');
    expect(expanded[0]).toBe('lc-ms');
    expect(expanded.filter((term) => synonymUnits(term).join(' ') === 'lc ms')).toHaveLength(1);
  });

  it('returns just the term when it has no synonyms', () => {
    expect(expandTerm('foo')).toEqual(['foo']);
  });

  it('only expands broad English words one way', () => {
    expect(expandTerm('spectrometer')).toContain('谱仪');
    expect(expandTerm('光谱')).not.toContain('spectrometer');
  });

  it('works for traditional Chinese once normalized', () => {
    expect(expandTerm(normalizeSearchText('電鏡'))).toContain('电子显微镜');
  });
});

describe('matchSynonymAt', () => {
  it('finds the longest known term starting at a position, also inside a CJK run', () => {
    const units = synonymUnits('场发射扫描电镜');
    expect(matchSynonymAt(units, 0)).toBeNull();
    expect(matchSynonymAt(units, 3)).toEqual({ unitCount: 4, alternatives: expect.arrayContaining(['扫描电子显微镜']) });
    expect(matchSynonymAt(synonymUnits('冷冻电镜'), 0)?.unitCount).toBe(4);
  });

  it('matches latin terms only as whole words', () => {
    expect(matchSynonymAt(synonymUnits('semiconductor'), 0)).toBeNull();
    expect(matchSynonymAt(synonymUnits('mass spectrometer'), 0)?.unitCount).toBe(2);
  });
});
