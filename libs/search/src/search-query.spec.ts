import { MAX_QUERY_TERMS, buildSearchQuery, parseSearchQuery } from './search-query';
import type { SearchQueryLeaf } from './search-query';

const cjk = (text: string): SearchQueryLeaf => ({ config: 'simple-lexemes', text });
const words = (text: string): SearchQueryLeaf => ({ config: 'english-words', text });
const prefix = (text: string): SearchQueryLeaf => ({ config: 'english-prefix', text });

describe('parseSearchQuery', () => {
  it('expands a Chinese abbreviation into its synonyms, written either way', () => {
    const expected = [
      {
        text: '电镜',
        alternatives: [[cjk("'电镜'")], [cjk("'电子' & '子显' & '显微' & '微镜'")], [words('electron microscope')], [words('electron microscopy')]],
      },
    ];
    expect(parseSearchQuery('电镜')).toEqual(expected);
    expect(parseSearchQuery('電鏡')).toEqual(expected);
  });

  it('gives simplified and traditional spellings the same terms', () => {
    expect(parseSearchQuery('質譜')).toEqual(parseSearchQuery('质谱'));
    expect(parseSearchQuery('顯微鏡')).toEqual(parseSearchQuery('显微镜'));
  });

  it('drops alternatives implied by a shorter one', () => {
    const [term] = parseSearchQuery('质谱');
    expect(term.alternatives).toEqual([
      [cjk("'质谱'")],
      [words('mass spectrometer')],
      [words('mass spectrometry')],
      [words('mass spectroscopy')],
    ]);
  });

  it('treats a multi-word latin synonym as one term', () => {
    const terms = parseSearchQuery('mass spectrometer');
    expect(terms).toHaveLength(1);
    expect(terms[0].alternatives).toContainEqual([cjk("'质谱'")]);
    expect(parseSearchQuery('LC-MS')[0].alternatives).toContainEqual([cjk("'液质' & '质联' & '联用'")]);
  });

  it('requires every term: known terms inside a CJK run, the rest as bigrams', () => {
    const terms = parseSearchQuery('场发射扫描电镜 JEOL');
    expect(terms.map((term) => term.text)).toEqual(['场发射', '扫描电镜', 'jeol']);
    expect(terms[0].alternatives).toEqual([[cjk("'场发' & '发射'")]]);
    expect(terms[1].alternatives).toContainEqual([words('sem')]);
  });

  it('pairs a leftover character with its neighbour and matches a lone character as a prefix', () => {
    expect(parseSearchQuery('红外光谱仪')[1]).toEqual({ text: '仪', alternatives: [[cjk("'谱仪'")]] });
    expect(parseSearchQuery('镜')).toEqual([{ text: '镜', alternatives: [[cjk("'镜':*")]] }]);
  });

  it('matches a last latin word being typed as a prefix, but not once it is followed by a space', () => {
    expect(parseSearchQuery('thermo spectrom')).toEqual([
      { text: 'thermo', alternatives: [[words('thermo')]] },
      { text: 'spectrom', alternatives: [[prefix("'spectrom':*")]] },
    ]);
    expect(parseSearchQuery('spectrom ')).toEqual([{ text: 'spectrom', alternatives: [[words('spectrom')]] }]);
    expect(parseSearchQuery('x')).toEqual([{ text: 'x', alternatives: [[words('x')]] }]);
    expect(parseSearchQuery('nmr')[0].alternatives[0]).toEqual([prefix("'nmr':*")]);
  });

  it('keeps latin and CJK parts of a mixed term together', () => {
    const [term] = parseSearchQuery('x射线');
    expect(term.alternatives[0]).toEqual([words('x'), cjk("'射线'")]);
  });

  it('ignores repeated terms and caps the number of terms', () => {
    expect(parseSearchQuery('nmr nmr 核磁 ')).toHaveLength(2);
    const many = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    expect(parseSearchQuery(many)).toHaveLength(MAX_QUERY_TERMS);
  });

  it('returns no terms for blank or punctuation-only input', () => {
    for (const query of ['', '   ', '!?', "'\"\\", '😀😀', '\u0000', ':*|&!()']) {
      expect(parseSearchQuery(query)).toEqual([]);
    }
    expect(parseSearchQuery(undefined as unknown as string)).toEqual([]);
  });

  it('never puts quotes or backslashes inside a tsquery lexeme', () => {
    const hostile = "'); drop table x; -- a':*|!( \\' 'b\\' c'd 電'鏡 \u0000 😀";
    for (const term of parseSearchQuery(hostile)) {
      for (const leaf of term.alternatives.flat()) {
        if (leaf.config === 'english-words') continue;
        expect(leaf.text).toMatch(/^'[^'\\\s]+'(:\*)?( & '[^'\\\s]+'(:\*)?)*$/u);
      }
    }
  });

  it('looks only at the first 200 characters', () => {
    const terms = parseSearchQuery(`${'a'.repeat(199)} nmr`);
    expect(terms).toHaveLength(1);
  });
});

describe('buildSearchQuery', () => {
  it('returns null when there is nothing to search for', () => {
    expect(buildSearchQuery('  ,;  ', 1)).toBeNull();
  });

  it('ANDs terms, ORs alternatives, and binds every value as a parameter from the given index', () => {
    const query = buildSearchQuery('核磁 jeol ', 4);
    expect(query).toEqual({
      sql:
        "(((to_tsquery('simple'::regconfig, $4::text)) || (plainto_tsquery('english'::regconfig, $5::text)) || " +
        "(plainto_tsquery('english'::regconfig, $6::text))) && ((plainto_tsquery('english'::regconfig, $7::text))))",
      params: ["'核磁'", 'nmr', 'nuclear magnetic resonance', 'jeol'],
    });
  });

  it('combines the leaves of a mixed alternative with AND', () => {
    const query = buildSearchQuery('x射线 ', 1);
    expect(query?.sql).toContain(
      "(plainto_tsquery('english'::regconfig, $1::text) && to_tsquery('simple'::regconfig, $2::text))",
    );
  });

  it('never puts user text into the SQL', () => {
    const query = buildSearchQuery("'); drop table x; --", 1);
    expect(query?.sql).not.toMatch(/drop|table/);
    expect(query?.params).toEqual(['drop', 'table', 'x']);
  });

  it('rejects invalid placeholder numbers', () => {
    expect(() => buildSearchQuery('nmr', 0)).toThrow(RangeError);
  });
});
