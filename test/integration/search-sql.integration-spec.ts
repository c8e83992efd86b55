import { Client } from 'pg';
import {
  SEARCH_DOCUMENT_PARAM_COUNT,
  buildSearchDocument,
  searchDocumentParams,
  searchDocumentSqlOver,
  searchVectorSql,
} from '@app/search';
import type { SearchDocumentFields } from '@app/search';
import { buildSearchQuery } from '@app/search';
import { cjkBigrams } from '@app/search';

/**
 * Runs the generated SQL against a real PostgreSQL. Everything lives in a
 * TEMP table of this test's own session, so parallel test files cannot
 * interfere.
 */
const DATABASE_URL = process.env.SEARCH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const INSTRUMENTS: Record<string, SearchDocumentFields> = {
  tem: {
    nameZh: '透射电子显微镜',
    nameEn: 'Transmission electron microscope',
    model: 'JEM-2100F',
    manufacturer: 'JEOL',
    functions: '材料微观结构表征、高分辨成像',
    specs: '加速电压 200 kV；点分辨率 0.23 nm',
    categoryNames: ['分析仪器', '电子光学仪器', 'Analytical instruments'],
  },
  sem: {
    nameZh: '扫描电子显微镜',
    model: 'Sigma 300',
    manufacturer: 'Zeiss',
    functions: '表面形貌观察',
    categoryNames: ['分析仪器', '电子光学仪器'],
  },
  lcms: {
    nameZh: '液相色谱-质谱联用仪',
    nameEn: 'Liquid chromatograph-mass spectrometer',
    model: 'Q Exactive',
    manufacturer: 'Thermo Fisher',
    functions: '小分子定性定量分析',
    categoryNames: ['分析仪器', '质谱仪器'],
  },
  gcms: {
    nameZh: '气相色谱-质谱联用仪',
    model: '7890B-5977B',
    manufacturer: 'Agilent',
    categoryNames: ['分析仪器', '质谱仪器'],
  },
  nmr: {
    nameZh: '核磁共振波谱仪',
    nameEn: 'Nuclear magnetic resonance spectrometer',
    model: 'AVANCE NEO 600',
    manufacturer: 'Bruker',
    functions: '有机化合物结构解析',
    categoryNames: ['分析仪器', '波谱仪器'],
  },
  xrd: {
    nameZh: 'X射线衍射仪',
    nameEn: 'X-ray diffractometer',
    model: 'D8 ADVANCE',
    manufacturer: 'Bruker',
    functions: '物相分析、晶体结构分析',
    categoryNames: ['分析仪器', 'X射线仪器'],
  },
  utm: {
    nameZh: '万能材料试验机',
    nameEn: 'Universal testing machine',
    model: '5982',
    manufacturer: 'Instron',
    functions: '拉伸、压缩、弯曲试验',
    categoryNames: ['物理性能测试仪器', '力学性能测试仪器'],
  },
  flow: {
    nameZh: '流式细胞仪',
    nameEn: 'Flow cytometer',
    model: 'FACSAria III',
    manufacturer: 'BD',
    functions: '细胞分选与多色分析',
    categoryNames: ['生命科学仪器', '细胞分析仪器'],
  },
};

describe('search SQL on PostgreSQL', () => {
  const client = new Client({ connectionString: DATABASE_URL });

  beforeAll(async () => {
    await client.connect();
    await client.query('CREATE TEMP TABLE search_sample (key text PRIMARY KEY, search_vector tsvector NOT NULL)');
    for (const [key, fields] of Object.entries(INSTRUMENTS)) {
      const vector = searchVectorSql(fields, 2);
      await client.query(`INSERT INTO search_sample (key, search_vector) VALUES ($1, ${vector.sql})`, [key, ...vector.params]);
    }
  });

  afterAll(async () => {
    await client.end();
  });

  /** Keys of the matching instruments, best match first. */
  async function search(query: string): Promise<string[]> {
    const tsquery = buildSearchQuery(query, 1);
    if (!tsquery) return [];
    const { rows } = await client.query<{ key: string }>(
      `SELECT s.key
         FROM search_sample s, (SELECT ${tsquery.sql} AS q) query
        WHERE s.search_vector @@ query.q
        ORDER BY ts_rank(s.search_vector, query.q) DESC, s.key`,
      tsquery.params,
    );
    return rows.map((row) => row.key);
  }

  const sorted = async (query: string): Promise<string[]> => (await search(query)).sort();

  it('finds mass spectrometers in simplified and traditional Chinese and in English', async () => {
    expect(await sorted('质谱')).toEqual(['gcms', 'lcms']);
    expect(await sorted('質譜')).toEqual(['gcms', 'lcms']);
    expect(await sorted('mass spectrometer')).toEqual(['gcms', 'lcms']);
    expect(await sorted('Mass Spectrometers ')).toEqual(['gcms', 'lcms']);
  });

  it('finds electron microscopes by the colloquial 电镜 and by 顯微鏡', async () => {
    expect(await sorted('电镜')).toEqual(['sem', 'tem']);
    expect(await sorted('電鏡')).toEqual(['sem', 'tem']);
    expect(await sorted('顯微鏡')).toEqual(['sem', 'tem']);
    expect(await sorted('electron microscope')).toEqual(['sem', 'tem']);
  });

  it('finds instruments by the abbreviations users type', async () => {
    expect(await search('NMR')).toEqual(['nmr']);
    expect(await search('核磁')).toEqual(['nmr']);
    expect(await search('液质联用')).toEqual(['lcms']);
    expect(await search('LC-MS')).toEqual(['lcms']);
    expect(await search('ＧＣ－ＭＳ')).toEqual(['gcms']);
    expect(await search('XRD')).toEqual(['xrd']);
    expect(await search('TEM')).toEqual(['tem']);
    expect(await search('扫描电镜')).toEqual(['sem']);
    expect(await search('流式')).toEqual(['flow']);
  });

  it('requires every term and searches all weights', async () => {
    expect(await search('电镜 JEOL')).toEqual(['tem']);
    expect(await search('Bruker 衍射')).toEqual(['xrd']);
    expect(await search('拉伸试验')).toEqual(['utm']);
    expect(await sorted('质谱仪器')).toEqual(['gcms', 'lcms']);
    expect(await search('质谱 Bruker')).toEqual([]);
  });

  it('matches the last word as a prefix while it is being typed', async () => {
    expect(await sorted('spectrom')).toEqual(['lcms', 'nmr']);
    expect(await search('thermo fis')).toEqual(['lcms']);
    expect(await search('cytom')).toEqual(['flow']);
  });

  it('ranks a match in the name above a match in the categories', async () => {
    const { rows } = await client.query<{ key: string }>(
      `SELECT key FROM search_sample WHERE key IN ('tem', 'xrd') AND search_vector @@ to_tsquery('simple', '分析')
        ORDER BY ts_rank(search_vector, to_tsquery('simple', '分析')) DESC`,
    );
    // 分析 is in xrd's functions (C) and in both category lists (D); tem only has it in D.
    expect(rows.map((row) => row.key)).toEqual(['xrd', 'tem']);
  });

  it('accepts hostile input without a PostgreSQL error', async () => {
    const hostile = [
      "'); drop table x; --",
      'a:*|!(',
      '\\',
      '\\\\',
      '😀🔬',
      "it's",
      "'質譜'",
      'a & b | !c <-> d',
      "nmr\u0000'",
      ':*',
      'the',
      'x'.repeat(5000),
      "電'鏡'\\:*",
      'ǅ ß İ ﬁ ①②',
    ];
    for (const query of hostile) await expect(search(query)).resolves.toEqual(expect.any(Array));
    expect(await search("'); drop table search_sample; --")).toEqual([]);
    expect(await search('质谱 😀')).toHaveLength(2);
  });

  it('survives random input from a hostile alphabet, as a query and as a document', async () => {
    const alphabet = Array.from("ab zZ09-_.:*&|!()<>'\"\\\u0000\t\n電镜质谱仪 ０Ａ～ＭＳ😀🔬\u0301ä ßαβжあア한\u{20000}\u{2b739}\uFFFF\uD800〇々");
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      await expect(search(text)).resolves.toEqual(expect.any(Array));
      const vector = searchVectorSql({ nameZh: text, nameEn: text, categoryNames: [text] }, 1);
      await expect(client.query(`SELECT ${vector.sql} AS v`, vector.params)).resolves.toBeDefined();
    }
  });

  it('builds the same vector in a bulk INSERT ... SELECT FROM unnest(...)', async () => {
    const keys = Object.keys(INSTRUMENTS);
    const documents = keys.map((key) => searchDocumentParams(buildSearchDocument(INSTRUMENTS[key])));
    const columns = Array.from({ length: SEARCH_DOCUMENT_PARAM_COUNT }, (_, i) => `value_${i + 1}`);
    const arrays = columns.map((_, i) => documents.map((document) => document[i]));
    const { rows } = await client.query<{ key: string; same: boolean }>(
      `SELECT source.key, ${searchDocumentSqlOver(columns.map((column) => `source.${column}`))} = s.search_vector AS same
         FROM unnest($1::text[], ${columns.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS source(key, ${columns.join(', ')})
         JOIN search_sample s ON s.key = source.key`,
      [keys, ...arrays],
    );
    expect(rows).toHaveLength(keys.length);
    expect(rows.every((row) => row.same)).toBe(true);
  });

  it('indexes the CJK bigrams and latin words exactly as built', async () => {
    const rareCharacters = '\u3400\u4db5\u4e00\u9fa5\u{20000}\u{2a6d6}';
    const document = buildSearchDocument({
      nameZh: `${rareCharacters} 傅裏葉變換紅外光譜儀`,
      nameEn: 'JEM-2100F 0.23nm 5μm naïve user@example.com /usr/bin http://example.com v2.5',
    });
    const { rows } = await client.query<{ cjk: string[]; latin: string[] }>(
      `SELECT array(SELECT lexeme FROM unnest(to_tsvector('simple', $1::text)) ORDER BY lexeme) AS cjk,
              array(SELECT lexeme FROM unnest(to_tsvector('simple', $2::text)) ORDER BY lexeme) AS latin`,
      [document.a.cjk, document.a.latin],
    );
    const expectedCjk = [...new Set([...cjkBigrams(rareCharacters), ...cjkBigrams('傅里叶变换红外光谱仪')])];
    expect([...rows[0].cjk].sort()).toEqual(expectedCjk.sort());
    expect([...rows[0].latin].sort()).toEqual([...new Set(document.a.latin.split(' '))].sort());
    expect(searchDocumentParams(document)).toHaveLength(8);
  });
});
