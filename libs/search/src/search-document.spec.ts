import {
  MAX_INDEXED_FIELD_LENGTH,
  SEARCH_DOCUMENT_PARAM_COUNT,
  SEARCH_DOCUMENT_SQL,
  buildSearchDocument,
  searchDocumentParams,
  searchDocumentSql,
  searchDocumentSqlOver,
  searchVectorSql,
} from './search-document';

describe('buildSearchDocument', () => {
  const document = buildSearchDocument({
    nameZh: '液相色谱-質譜聯用儀',
    nameEn: 'Liquid chromatograph-mass spectrometer',
    model: 'Q Exactive HF-X',
    manufacturer: 'Thermo Fisher',
    functions: '小分子定量分析',
    specs: '分辨率 240,000 (m/z 200)',
    serviceContent: null,
    categoryNames: ['分析仪器', 'Mass spectrometry instruments'],
  });

  it('puts names in A, model and manufacturer in B, descriptions in C and categories in D', () => {
    expect(document).toEqual({
      a: { latin: 'liquid chromatograph mass spectrometer', cjk: '液相 相色 色谱 质谱 谱联 联用 用仪' },
      b: { latin: 'q exactive hf x thermo fisher', cjk: '' },
      c: { latin: '240 000 m z 200', cjk: '小分 分子 子定 定量 量分 分析 分辨 辨率' },
      d: { latin: 'mass spectrometry instruments', cjk: '分析 析仪 仪器' },
    });
  });

  it('keeps single characters and tolerates missing optional fields', () => {
    expect(buildSearchDocument({ nameZh: '秤' })).toEqual({
      a: { latin: '', cjk: '秤' },
      b: { latin: '', cjk: '' },
      c: { latin: '', cjk: '' },
      d: { latin: '', cjk: '' },
    });
  });

  it('never emits characters that the text-search parsers would split or reinterpret', () => {
    const hostile = buildSearchDocument({
      nameZh: "电镜'); drop table x; -- \u0000 a:*|!( \\ 😀 a@b.c /usr/bin http://x.y",
      functions: 'x'.repeat(MAX_INDEXED_FIELD_LENGTH * 2),
    });
    for (const value of searchDocumentParams(hostile)) {
      expect(value).toMatch(/^[\p{L}\p{M}0-9 ]*$/u);
    }
    expect(hostile.c.latin.length).toBe(MAX_INDEXED_FIELD_LENGTH);
  });
});

describe('search document SQL', () => {
  it('weights each part with both configurations, over consecutive placeholders', () => {
    expect(SEARCH_DOCUMENT_SQL).toBe(searchDocumentSql(1));
    expect(searchDocumentSql(3)).toBe(
      "setweight(to_tsvector('english'::regconfig, $3::text), 'A') || setweight(to_tsvector('simple'::regconfig, $4::text), 'A') || " +
        "setweight(to_tsvector('english'::regconfig, $5::text), 'B') || setweight(to_tsvector('simple'::regconfig, $6::text), 'B') || " +
        "setweight(to_tsvector('english'::regconfig, $7::text), 'C') || setweight(to_tsvector('simple'::regconfig, $8::text), 'C') || " +
        "setweight(to_tsvector('english'::regconfig, $9::text), 'D') || setweight(to_tsvector('simple'::regconfig, $10::text), 'D')",
    );
  });

  it('lists parameters in placeholder order', () => {
    const { sql, params } = searchVectorSql({ nameZh: '电镜', nameEn: 'EM', model: 'M1', categoryNames: ['仪器'] }, 2);
    expect(sql).toBe(searchDocumentSql(2));
    expect(params).toEqual(['em', '电镜', 'm1', '', '', '', '', '仪器']);
    expect(params).toHaveLength(SEARCH_DOCUMENT_PARAM_COUNT);
  });

  it('can be built over other SQL expressions, such as unnest columns', () => {
    const columns = ['u.a1', 'u.a2', 'u.b1', 'u.b2', 'u.c1', 'u.c2', 'u.d1', 'u.d2'];
    expect(searchDocumentSqlOver(columns)).toContain("to_tsvector('simple'::regconfig, u.d2::text), 'D')");
    expect(searchDocumentSqlOver([...columns.slice(0, 7), "u.d2 || ' x'"])).toContain("regconfig, (u.d2 || ' x')::text), 'D')");
    expect(() => searchDocumentSqlOver(columns.slice(1))).toThrow(RangeError);
  });

  it('rejects invalid placeholder numbers', () => {
    expect(() => searchDocumentSql(0)).toThrow(RangeError);
    expect(() => searchDocumentSql(1.5)).toThrow(RangeError);
  });
});
