/**
 * The national instrument classification (three levels: XX0000 / XXYY00 / XXYYZZ), as far as
 * the marketplace uses it today. Frozen with the migration that inserts it: later changes to the
 * tree get migrations of their own.
 */
export const INSTRUMENT_CATEGORIES: ReadonlyArray<readonly [code: string, nameZh: string, nameEn: string]> = [
  ['010000', '分析仪器', 'Analytical instruments'],
  ['010100', '电子光学仪器', 'Electron optics'],
  ['010101', '透射电镜', 'Transmission electron microscopes'],
  ['010102', '扫描电镜', 'Scanning electron microscopes'],
  ['010200', '质谱仪器', 'Mass spectrometry'],
  ['010300', 'X射线仪器', 'X-ray instruments'],
  ['010400', '光谱仪器', 'Spectroscopy'],
  ['010500', '色谱仪器', 'Chromatography'],
  ['010600', '波谱仪器', 'Magnetic resonance'],
  ['010601', '核磁共振波谱仪', 'Nuclear magnetic resonance spectrometers'],
  ['010700', '电化学仪器', 'Electrochemistry'],
  ['010800', '显微镜及图象分析仪器', 'Microscopy and image analysis'],
  ['010900', '热分析仪器', 'Thermal analysis'],
  ['011000', '生化分离分析仪器', 'Biochemical separation and analysis'],
  ['011100', '环境与农业分析仪器', 'Environmental and agricultural analysis'],
  ['011200', '样品前处理及制备仪器', 'Sample preparation'],
  ['019900', '其他分析仪器', 'Other analytical instruments'],
  ['020000', '物理性能测试仪器', 'Physical property testing instruments'],
  ['020100', '力学性能测试仪器', 'Mechanical property testing'],
  ['020200', '大地测量仪器', 'Geodetic surveying'],
  ['020300', '光电测量仪器', 'Optoelectronic measurement'],
  ['020400', '声学振动仪器', 'Acoustics and vibration'],
  ['020500', '颗粒度测量仪器', 'Particle size measurement'],
  ['020600', '探伤仪器', 'Flaw detection'],
  ['029900', '其他物理性能测试仪器', 'Other physical property testing'],
  ['030000', '计量仪器', 'Metrology instruments'],
  ['030100', '长度计量仪器', 'Length metrology'],
  ['039900', '其他计量仪器', 'Other metrology'],
  ['040000', '电子测量仪器', 'Electronic measurement instruments'],
  ['040100', '通用电子测量仪器', 'General electronic measurement'],
  ['040500', '半导体器件测量仪器', 'Semiconductor device measurement'],
  ['049900', '其他电子测量仪器', 'Other electronic measurement'],
  ['050000', '海洋仪器', 'Marine instruments'],
  ['060000', '地球探测仪器', 'Earth exploration instruments'],
  ['070000', '大气探测仪器', 'Atmospheric instruments'],
  ['080000', '天文仪器', 'Astronomical instruments'],
  ['090000', '医学诊断仪器', 'Medical diagnostic instruments'],
  ['090200', '医学影像诊断仪器', 'Medical imaging'],
  ['100000', '核仪器', 'Nuclear instruments'],
  ['110000', '特种检测仪器', 'Special testing instruments'],
  ['120000', '工艺实验设备', 'Process test equipment'],
  ['130000', '计算机及其配套设备', 'Computers and peripherals'],
  ['140000', '激光器', 'Lasers'],
  ['140100', '超快激光器', 'Ultrafast lasers'],
  ['990000', '其他仪器', 'Other instruments'],
];

export function categoryLevel(code: string): 1 | 2 | 3 {
  if (code.endsWith('0000')) return 1;
  if (code.endsWith('00')) return 2;
  return 3;
}

export function categoryParent(code: string): string | null {
  const level = categoryLevel(code);
  if (level === 1) return null;
  if (level === 2) return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}
