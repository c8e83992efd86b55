import type { SeededRandom } from './seeded-random.util';

/**
 * What the demo generator knows about each instrument type beyond the CSV: how common it is, how
 * its model codes look, named variants and Chinese makers; and, per level-2 category, the words
 * for specs, functions and services. Demo realism only.
 */
export interface DemoInstrumentVariant {
  nameZh: string;
  nameEn: string;
}

export interface DemoInstrumentTypeTraits {
  /** Relative frequency: HPLCs and SEMs are everywhere, cryo-EMs are rare. */
  weight: number;
  /** Letters after the maker's stem in a generated model code ('EM' in 'JEM-2100F'). */
  modelStem: string;
  /** Named variants used instead of the plain type name for some instruments. */
  variants?: readonly DemoInstrumentVariant[];
  /** Chinese makers that build this type, chosen for some instruments beside the CSV's makers. */
  domesticMakers?: readonly string[];
}

/** Keyed by the type's English name in DEMO_INSTRUMENT_TYPES; a type missing here gets DEFAULT_TYPE_TRAITS. */
export const DEMO_TYPE_TRAITS: Readonly<Record<string, DemoInstrumentTypeTraits>> = {
  'Transmission electron microscope': {
    weight: 3,
    modelStem: 'EM',
    variants: [
      { nameZh: '场发射透射电子显微镜', nameEn: 'Field-emission transmission electron microscope' },
      { nameZh: '球差校正透射电子显微镜', nameEn: 'Aberration-corrected transmission electron microscope' },
    ],
  },
  'Cryo-transmission electron microscope': { weight: 0.3, modelStem: 'CR' },
  'Scanning electron microscope': {
    weight: 7,
    modelStem: 'SM',
    variants: [
      { nameZh: '场发射扫描电子显微镜', nameEn: 'Field-emission scanning electron microscope' },
      { nameZh: '环境扫描电子显微镜', nameEn: 'Environmental scanning electron microscope' },
    ],
    domesticMakers: ['CIQTEK', 'KYKY', 'Focus-eBeam'],
  },
  'Focused ion beam scanning electron microscope': { weight: 1, modelStem: 'FB' },
  'Electron probe microanalyzer': { weight: 0.6, modelStem: 'XA' },
  'Liquid chromatograph-mass spectrometer': {
    weight: 8,
    modelStem: 'MS',
    variants: [
      { nameZh: '三重四极杆液相色谱-质谱联用仪', nameEn: 'Triple-quadrupole liquid chromatograph-mass spectrometer' },
      { nameZh: '高分辨液相色谱-质谱联用仪', nameEn: 'High-resolution liquid chromatograph-mass spectrometer' },
    ],
  },
  'Gas chromatograph-mass spectrometer': {
    weight: 6,
    modelStem: 'GM',
    variants: [{ nameZh: '三重四极杆气相色谱-质谱联用仪', nameEn: 'Triple-quadrupole gas chromatograph-mass spectrometer' }],
    domesticMakers: ['EXPEC Technology'],
  },
  'Inductively coupled plasma mass spectrometer': {
    weight: 4,
    modelStem: 'IM',
    domesticMakers: ['EXPEC Technology', 'Skyray Instrument'],
  },
  'High-resolution time-of-flight mass spectrometer': { weight: 3, modelStem: 'QT' },
  'MALDI-TOF mass spectrometer': { weight: 1.5, modelStem: 'MT' },
  'X-ray diffractometer': {
    weight: 6,
    modelStem: 'XD',
    variants: [{ nameZh: '高分辨X射线衍射仪', nameEn: 'High-resolution X-ray diffractometer' }],
    domesticMakers: ['Dandong Haoyuan'],
  },
  'Single-crystal X-ray diffractometer': { weight: 1.5, modelStem: 'SC' },
  'X-ray photoelectron spectrometer': { weight: 2, modelStem: 'PS' },
  'X-ray fluorescence spectrometer': {
    weight: 3,
    modelStem: 'XF',
    variants: [{ nameZh: '波长色散X射线荧光光谱仪', nameEn: 'Wavelength-dispersive X-ray fluorescence spectrometer' }],
    domesticMakers: ['Skyray Instrument'],
  },
  'X-ray micro computed tomography system': {
    weight: 2,
    modelStem: 'CT',
    variants: [{ nameZh: '高分辨X射线三维显微镜', nameEn: 'High-resolution X-ray 3D microscope' }],
  },
  'Fourier transform infrared spectrometer': {
    weight: 5,
    modelStem: 'IR',
    variants: [{ nameZh: '显微傅里叶变换红外光谱仪', nameEn: 'Fourier transform infrared microspectrometer' }],
  },
  'Confocal Raman spectrometer': { weight: 4, modelStem: 'RM' },
  'Inductively coupled plasma optical emission spectrometer': {
    weight: 4,
    modelStem: 'OE',
    domesticMakers: ['EXPEC Technology', 'Skyray Instrument'],
  },
  'UV-Vis-NIR spectrophotometer': { weight: 4, modelStem: 'UV', domesticMakers: ['Persee'] },
  'Steady-state and transient fluorescence spectrometer': { weight: 2.5, modelStem: 'FL' },
  'High-performance liquid chromatograph': {
    weight: 10,
    modelStem: 'LC',
    variants: [
      { nameZh: '超高效液相色谱仪', nameEn: 'Ultra-high-performance liquid chromatograph' },
      { nameZh: '制备型高效液相色谱仪', nameEn: 'Preparative high-performance liquid chromatograph' },
    ],
    domesticMakers: ['Dalian Elite'],
  },
  'Gas chromatograph': { weight: 6, modelStem: 'GC', domesticMakers: ['FULI Instruments'] },
  'Ion chromatograph': { weight: 3, modelStem: 'IC', domesticMakers: ['Sheng Han'] },
  'Gel permeation chromatograph': {
    weight: 2,
    modelStem: 'GP',
    variants: [{ nameZh: '高温凝胶渗透色谱仪', nameEn: 'High-temperature gel permeation chromatograph' }],
  },
  'Nuclear magnetic resonance spectrometer': {
    weight: 4,
    modelStem: 'NM',
    variants: [{ nameZh: '超导核磁共振波谱仪', nameEn: 'Superconducting nuclear magnetic resonance spectrometer' }],
  },
  'Electron paramagnetic resonance spectrometer': { weight: 1, modelStem: 'ES', domesticMakers: ['CIQTEK'] },
  'Electrochemical workstation': { weight: 1.5, modelStem: 'EC', domesticMakers: ['CorrTest'] },
  'Confocal laser scanning microscope': { weight: 6, modelStem: 'CL' },
  'Atomic force microscope': { weight: 3, modelStem: 'AF' },
  'Super-resolution fluorescence microscope': { weight: 1.2, modelStem: 'SR' },
  'Live-cell imaging system': { weight: 2, modelStem: 'LV' },
  'Simultaneous thermal analyzer': {
    weight: 3,
    modelStem: 'ST',
    variants: [{ nameZh: '全自动同步热分析仪', nameEn: 'Automated simultaneous thermal analyzer' }],
  },
  'Differential scanning calorimeter': { weight: 3, modelStem: 'DS' },
  'Flow cytometer': {
    weight: 5,
    modelStem: 'FC',
    variants: [{ nameZh: '流式细胞分选仪', nameEn: 'Flow cytometric cell sorter' }],
    domesticMakers: ['Mindray'],
  },
  'Real-time quantitative PCR system': { weight: 1.5, modelStem: 'QP', domesticMakers: ['Bioer', 'Hongshi'] },
  'High-throughput gene sequencer': { weight: 1.5, modelStem: 'SQ' },
  Ultracentrifuge: { weight: 3, modelStem: 'UC' },
  'Elemental analyzer': {
    weight: 2,
    modelStem: 'EA',
    variants: [{ nameZh: '全自动元素分析仪', nameEn: 'Automated elemental analyzer' }],
  },
  'Universal testing machine': {
    weight: 6,
    modelStem: 'UT',
    variants: [
      { nameZh: '电子万能材料试验机', nameEn: 'Electromechanical universal testing machine' },
      { nameZh: '高温万能材料试验机', nameEn: 'High-temperature universal testing machine' },
    ],
    domesticMakers: ['SUNS', 'WANCE'],
  },
  'Servo-hydraulic fatigue testing system': { weight: 2.5, modelStem: 'FT' },
  Nanoindenter: { weight: 1, modelStem: 'NI' },
  'Laser Doppler vibrometer': { weight: 1, modelStem: 'LV' },
  'Laser diffraction particle size analyzer': {
    weight: 3,
    modelStem: 'PS',
    variants: [{ nameZh: '全自动激光粒度分析仪', nameEn: 'Automated laser diffraction particle size analyzer' }],
    domesticMakers: ['Bettersize'],
  },
  'Surface area and pore size analyzer': {
    weight: 3,
    modelStem: 'SA',
    variants: [{ nameZh: '全自动比表面及孔径分析仪', nameEn: 'Automated surface area and pore size analyzer' }],
    domesticMakers: ['JWGB', 'BSD Instrument'],
  },
  'Phased-array ultrasonic testing system': { weight: 1.5, modelStem: 'PA', domesticMakers: ['SIUI'] },
  'Coordinate measuring machine': {
    weight: 2,
    modelStem: 'CM',
    variants: [{ nameZh: '高精度三坐标测量机', nameEn: 'High-precision coordinate measuring machine' }],
  },
  'Vector network analyzer': { weight: 2.5, modelStem: 'NA', domesticMakers: ['Ceyear'] },
  'Spectrum analyzer': { weight: 2, modelStem: 'SA', domesticMakers: ['Ceyear'] },
  'High-speed digital oscilloscope': { weight: 2.5, modelStem: 'OS', domesticMakers: ['RIGOL', 'SIGLENT'] },
  'Semiconductor parameter analyzer': { weight: 1.5, modelStem: 'PA' },
  'In vivo small-animal optical imaging system': { weight: 1.2, modelStem: 'IV' },
  'Preclinical magnetic resonance imaging system': { weight: 0.4, modelStem: 'MR' },
  'Liquid scintillation counter': { weight: 1, modelStem: 'LS' },
  'Femtosecond laser system': { weight: 1.5, modelStem: 'FS', domesticMakers: ['Huaray'] },
};

export const DEFAULT_TYPE_TRAITS: DemoInstrumentTypeTraits = { weight: 1, modelStem: 'XX' };

/**
 * Words for one level-2 category (keyed by the first four digits of the category code):
 * what the instruments are for, what a service offers, who owns them.
 */
export interface DemoCapabilityProfile {
  /** Completes "主要用于…". */
  capability: string;
  /** Typical applications, two of which are named in the functions text. */
  applications: readonly string[];
  /** Services offered to users. */
  services: readonly string[];
  subjects: readonly string[];
  /** University schools that typically own such instruments (besides the shared analysis centre). */
  schools: readonly string[];
  /** Main technical specs; `typeNameEn` lets one profile tell a TEM from an SEM. */
  specs: (random: SeededRandom, typeNameEn: string) => string[];
}

const has = (typeNameEn: string, fragment: string): boolean => typeNameEn.toLowerCase().includes(fragment.toLowerCase());

export const DEMO_CAPABILITY_PROFILES: Readonly<Record<string, DemoCapabilityProfile>> = {
  '0101': {
    capability: '材料与生物样品的微观形貌观察、晶体结构与微区成分分析',
    applications: ['纳米材料表征', '金属断口与失效分析', '半导体器件剖面观察', '矿物与地质样品分析', '生物超微结构研究'],
    services: ['微观形貌观察', '能谱（EDS）元素分析', '电子背散射衍射（EBSD）', '高分辨晶格像', '选区电子衍射'],
    subjects: ['材料科学', '物理学', '化学', '地质学', '生物学'],
    schools: ['材料科学与工程学院', '物理学院', '化学系'],
    specs: (random, type) =>
      has(type, 'transmission')
        ? [
            `加速电压：${random.pick(['80–200', '120', '200', '60–300'])} kV`,
            `点分辨率：${random.pick(['0.19', '0.23', '0.24', '0.27'])} nm；信息分辨率：${random.pick(['0.10', '0.12', '0.14'])} nm`,
            `配备${random.pick(['能谱仪（EDS）', '电子能量损失谱仪（EELS）', 'CCD相机与能谱仪', '直接电子探测相机'])}`,
          ]
        : [
            `加速电压：${random.pick(['0.2–30', '0.5–30', '0.02–30'])} kV`,
            `二次电子像分辨率：${random.pick(['0.6', '0.8', '1.0', '1.2', '1.5'])} nm @ 15 kV`,
            `放大倍数：${random.pick(['10', '12', '20'])}–${random.pick(['1,000,000', '800,000', '2,000,000'])}倍`,
            `配备${random.pick(['能谱仪（EDS）', '能谱仪与EBSD探头', '背散射电子探测器', '波谱仪（WDS）'])}`,
          ],
  },
  '0102': {
    capability: '有机小分子、蛋白多肽及痕量元素的质谱定性与定量分析',
    applications: ['药物代谢与杂质鉴定', '食品中农药残留检测', '环境污染物筛查', '代谢组学与蛋白质组学研究', '同位素比值测定'],
    services: ['质谱定性分析', '目标化合物定量测定', '精确分子量测定', '非靶向筛查', '方法开发'],
    subjects: ['化学', '药学', '生物学', '环境科学', '食品科学'],
    schools: ['化学系', '药学院', '生命科学学院', '环境与资源学院'],
    specs: (random, type) => [
      `离子源：${has(type, 'gas') ? 'EI/CI' : has(type, 'plasma') ? 'ICP（碰撞/反应池）' : has(type, 'maldi') ? 'MALDI' : random.pick(['ESI/APCI', 'ESI', 'ESI/nanoESI'])}`,
      `质量范围：m/z ${has(type, 'plasma') ? '2–260' : random.pick(['2–2,000', '5–1,250', '50–3,000', '20–4,000'])}`,
      has(type, 'resolution') || has(type, 'tof')
        ? `分辨率：≥${random.pick(['40,000', '60,000', '80,000'])} FWHM；质量精度：< ${random.pick(['1', '2', '3'])} ppm`
        : `质量精度：±${random.pick(['0.1', '0.05'])} u；动态范围：${random.pick(['6', '8', '9'])}个数量级`,
    ],
  },
  '0103': {
    capability: '物相鉴定、晶体结构解析、表面化学态与内部结构的无损分析',
    applications: ['催化剂与电池材料表征', '薄膜与涂层分析', '矿物物相鉴定', '单晶结构测定', '零部件内部缺陷检测'],
    services: ['物相定性与定量分析', '晶体结构测定', '表面元素化学态分析', '元素成分分析', '三维断层成像'],
    subjects: ['材料科学', '化学', '物理学', '地质学'],
    schools: ['材料科学与工程学院', '化学系', '物理学院', '地球科学学院'],
    specs: (random, type) =>
      has(type, 'photoelectron')
        ? ['单色化Al Kα X射线源', `能量分辨率≤${random.pick(['0.45', '0.50'])} eV；最小分析区域${random.pick(['10', '20', '30'])} μm`, '配备氩离子枪深度剖析']
        : has(type, 'tomography')
          ? [`最高空间分辨率：${random.pick(['0.5', '0.7', '1', '2'])} μm`, `射线源电压：${random.pick(['160', '225', '240'])} kV`, `最大样品尺寸：${random.pick(['200', '300', '500'])} mm`]
          : has(type, 'fluorescence')
            ? [`分析元素范围：${random.pick(['Be', 'B', 'F'])}–U`, '含量范围：ppm级至100%', `X射线管功率：${random.pick(['2.4', '3', '4'])} kW`]
            : [
                `X射线源：${random.pick(['Cu靶', 'Cu/Mo双靶微焦斑', 'Cu靶旋转阳极'])}，${random.pick(['2.2', '3', '9'])} kW`,
                `测角仪半径：${random.pick(['240', '280', '300'])} mm；角度重现性±0.0001°`,
                `探测器：${random.pick(['一维阵列探测器', '二维面探测器', '混合光子计数探测器'])}`,
              ],
  },
  '0104': {
    capability: '分子结构鉴定、元素含量测定与光谱表征',
    applications: ['高分子与有机物结构鉴定', '半导体与二维材料表征', '水质与土壤元素检测', '光学薄膜透反射测试', '发光材料性能评价'],
    services: ['光谱采集与解析', '元素定量分析', '显微成像光谱', '变温光谱测试'],
    subjects: ['化学', '材料科学', '物理学', '环境科学'],
    schools: ['化学系', '材料科学与工程学院', '光电科学与工程学院'],
    specs: (random, type) =>
      has(type, 'raman')
        ? [`激发波长：${random.pick(['532 nm、633 nm、785 nm', '473 nm、532 nm', '325 nm、532 nm、785 nm'])}`, `光谱分辨率≤${random.pick(['0.65', '1', '1.5'])} cm⁻¹`, '横向空间分辨率优于1 μm']
        : has(type, 'plasma')
          ? [`波长范围：${random.pick(['165–785', '167–900'])} nm`, '检出限：ppb级', '垂直/水平双向观测']
          : has(type, 'infrared')
            ? [`光谱范围：${random.pick(['7,800–350', '8,000–50', '7,500–370'])} cm⁻¹`, `分辨率优于${random.pick(['0.09', '0.25', '0.4'])} cm⁻¹`, '配备ATR与漫反射附件']
            : has(type, 'fluorescence')
              ? ['稳态与时间分辨荧光测量', '寿命测量范围：ps–s', `配备${random.pick(['近红外检测器', '积分球（量子产率）', '变温样品架'])}`]
              : [`波长范围：${random.pick(['175–3,300', '190–3,300', '185–2,600'])} nm`, '配备积分球附件', `波长准确度：±${random.pick(['0.08', '0.1', '0.2'])} nm`],
  },
  '0105': {
    capability: '复杂混合物的分离与定性、定量分析',
    applications: ['药物含量与有关物质测定', '食品添加剂检测', '石化产品组分分析', '水中阴阳离子测定', '聚合物分子量分布测定'],
    services: ['含量测定', '组分分离分析', '方法开发与验证', '分子量及分布测定'],
    subjects: ['化学', '药学', '食品科学', '环境科学', '化学工程'],
    schools: ['化学系', '药学院', '化学工程与生物工程学院', '食品科学与营养学院'],
    specs: (random, type) =>
      has(type, 'gas')
        ? [`检测器：${random.pick(['FID/TCD', 'FID/ECD', 'FID/FPD'])}`, '柱温箱：室温+4–450 ℃', `自动进样器：${random.pick(['16', '150'])}位`]
        : has(type, 'ion chromatograph')
          ? ['抑制电导检测', '淋洗液自动发生', `自动进样器：${random.pick(['50', '120'])}位`]
          : has(type, 'gel permeation')
            ? [`检测器：${random.pick(['示差折光', '示差折光与多角度光散射', '示差、黏度与光散射三检测'])}`, `分子量范围：${random.pick(['100–10⁷', '500–2×10⁶'])} g/mol`]
            : [`检测器：${random.pick(['DAD', 'DAD/FLD', 'DAD/RID', 'UV/ELSD'])}`, `系统耐压：${random.pick(['60', '100', '130'])} MPa`, `自动进样器：${random.pick(['100', '216'])}位`],
  },
  '0106': {
    capability: '分子结构解析与顺磁物种的波谱分析',
    applications: ['有机合成产物结构鉴定', '天然产物结构解析', '自由基与金属离子检测', '固体材料局域结构研究'],
    services: ['一维氢谱、碳谱测试', '二维谱测试', '变温实验', '固体核磁测试', '自由基检测'],
    subjects: ['化学', '药学', '生物学', '材料科学'],
    schools: ['化学系', '药学院', '生命科学学院'],
    specs: (random, type) =>
      has(type, 'paramagnetic')
        ? ['X波段（9.4 GHz）', `变温范围：${random.pick(['4–300', '100–500'])} K`, '支持连续波与脉冲测量']
        : [
            `${random.pick(['400', '500', '600', '800'])} MHz超导磁体`,
            `探头：${random.pick(['BBO宽带探头', '超低温探头（CryoProbe）', '固体魔角旋转探头'])}`,
            '可测核：¹H、¹³C、¹⁹F、³¹P、¹⁵N等',
          ],
  },
  '0107': {
    capability: '电极过程、腐蚀与电池材料的电化学性能表征',
    applications: ['锂电池与超级电容器测试', '金属腐蚀评价', '电催化性能测试', '传感器研制'],
    services: ['循环伏安测试', '交流阻抗谱（EIS）', '恒电流充放电', '极化曲线测试'],
    subjects: ['化学', '材料科学', '能源科学'],
    schools: ['化学系', '材料科学与工程学院', '能源工程学院'],
    specs: (random) => [
      `电位范围：±${random.pick(['10', '12'])} V；最大电流±${random.pick(['250 mA', '1 A', '2 A'])}`,
      `阻抗频率范围：10 μHz–${random.pick(['1', '3', '7'])} MHz`,
      `最小电流分辨率：${random.pick(['0.1 fA', '1 pA', '10 pA'])}`,
    ],
  },
  '0108': {
    capability: '细胞、组织与材料表面的高分辨显微成像与图像分析',
    applications: ['细胞器与蛋白定位', '活细胞动态观察', '材料表面形貌与粗糙度', '组织切片三维重建'],
    services: ['荧光成像', '三维重构', '时间序列成像', '表面形貌测量', '图像定量分析'],
    subjects: ['生物学', '医学', '材料科学', '物理学'],
    schools: ['生命科学学院', '医学院', '材料科学与工程学院', '物理学院'],
    specs: (random, type) =>
      has(type, 'atomic force')
        ? [`扫描范围：${random.pick(['90', '100', '125'])} μm × ${random.pick(['90', '100', '125'])} μm`, `Z向噪声＜${random.pick(['30', '50'])} pm`, '模式：轻敲、接触、KPFM、PFM']
        : has(type, 'live-cell')
          ? ['温度、CO₂与湿度环境控制', '高内涵自动成像与分析', `物镜：${random.pick(['4×–60×', '10×–100×'])}`]
          : [
              `激光器：${random.pick(['405/488/561/640 nm', '405/488/514/561/633 nm', '405/445/488/514/561/640 nm'])}`,
              `横向分辨率：${has(type, 'super') ? random.pick(['≤50', '≤120']) : random.pick(['≤180', '≤200'])} nm`,
              `检测器：${random.pick(['GaAsP', 'HyD', 'PMT与GaAsP'])}`,
            ],
  },
  '0109': {
    capability: '材料热稳定性、相变、比热容与热焓的热分析测试',
    applications: ['高分子玻璃化转变测定', '材料热分解与氧化稳定性', '药物晶型与纯度研究', '陶瓷与金属相变研究'],
    services: ['热重分析', '差示扫描量热', '比热容测定', '氧化诱导期测试'],
    subjects: ['材料科学', '化学', '化学工程'],
    schools: ['材料科学与工程学院', '化学工程与生物工程学院', '高分子科学与工程学系'],
    specs: (random, type) =>
      has(type, 'calorimeter')
        ? [`温度范围：${random.pick(['-90', '-150', '-180'])}–${random.pick(['600', '725'])} ℃`, '温度准确度：±0.1 K', '配备自动进样器']
        : [`温度范围：室温–${random.pick(['1,500', '1,600', '1,650'])} ℃`, `升温速率：0.1–${random.pick(['50', '100'])} K/min`, '气氛：N₂/Ar/空气，可切换'],
  },
  '0110': {
    capability: '细胞分析、核酸定量测序与生物大分子分离',
    applications: ['免疫细胞分型', '基因表达定量', '病原检测', '全基因组与转录组测序', '亚细胞组分分离'],
    services: ['细胞分析与分选', '基因表达定量', '文库测序', '梯度离心分离'],
    subjects: ['生物学', '医学', '农学', '药学'],
    schools: ['生命科学学院', '医学院', '农业与生物技术学院'],
    specs: (random, type) =>
      has(type, 'flow')
        ? [`激光器：${random.pick(['3', '4', '5'])}激光`, `检测参数：${random.pick(['14', '18', '28'])}色荧光+2散射`, `分析速度：≥${random.pick(['35,000', '50,000'])} 个细胞/秒`]
        : has(type, 'pcr')
          ? [`样品通量：${random.pick(['96', '384'])}孔`, `荧光通道：${random.pick(['4', '5', '6'])}个`, '温控精度：±0.1 ℃']
          : has(type, 'sequencer')
            ? [`单次运行通量：${random.pick(['1.5', '3', '6'])} Tb`, '读长：PE150', `运行时间：${random.pick(['24', '36', '44'])} h`]
            : [`最高转速：${random.pick(['100,000', '120,000', '150,000'])} rpm`, `最大相对离心力：${random.pick(['802,000', '1,019,000'])} ×g`, '配备水平转头与角转头'],
  },
  '0111': {
    capability: '有机物及环境、农业样品中碳、氢、氮、硫等元素含量的测定',
    applications: ['新合成化合物元素组成确认', '土壤与植物样品分析', '煤与石油产品分析'],
    services: ['CHNS测定', '氧含量测定', '总有机碳测定'],
    subjects: ['化学', '环境科学', '农学'],
    schools: ['化学系', '环境与资源学院'],
    specs: (random) => ['CHNS/O模式可切换', `进样盘：${random.pick(['60', '80', '120'])}位`, `测量精度：≤${random.pick(['0.1', '0.2'])}% abs.`],
  },
  '0201': {
    capability: '金属、高分子与复合材料的力学性能测试',
    applications: ['拉伸、压缩与弯曲试验', '疲劳寿命评价', '薄膜与涂层硬度测定', '高低温力学测试'],
    services: ['拉伸试验', '压缩与弯曲试验', '疲劳试验', '纳米硬度与模量测定'],
    subjects: ['材料科学', '机械工程', '土木工程', '航空航天'],
    schools: ['机械工程学院', '材料科学与工程学院', '建筑工程学院'],
    specs: (random, type) =>
      has(type, 'fatigue')
        ? [`动态载荷：±${random.pick(['25', '100', '250'])} kN`, `试验频率：0.01–${random.pick(['50', '100'])} Hz`, '配备高温炉（≤1,200 ℃）']
        : has(type, 'nanoindenter')
          ? [`最大载荷：${random.pick(['500 mN', '1 N'])}`, '载荷分辨率：3 nN；位移分辨率：0.01 nm', '支持连续刚度测量（CSM）']
          : [`最大载荷：${random.pick(['50', '100', '250', '300'])} kN`, '载荷精度：示值的±0.5%', `配备环境箱（${random.pick(['-70–350', '-150–350'])} ℃）`],
  },
  '0204': {
    capability: '结构振动、模态与噪声的非接触测量',
    applications: ['机械结构模态分析', 'MEMS器件振动测试', '汽车零部件NVH研究'],
    services: ['振动测量', '模态分析', '扫描测振'],
    subjects: ['机械工程', '力学', '声学'],
    schools: ['机械工程学院', '航空航天学院'],
    specs: (random) => [`频率范围：DC–${random.pick(['2.5', '25', '100'])} MHz`, '全场扫描测量', `速度分辨率：${random.pick(['0.01', '0.02'])} μm/s`],
  },
  '0205': {
    capability: '粉体粒度分布、比表面积与孔结构的测定',
    applications: ['电池正负极材料表征', '催化剂孔结构分析', '药物粉体粒径控制', '水泥与陶瓷粉体检测'],
    services: ['粒度分布测定', 'BET比表面积测定', '孔径分布分析', '化学吸附测试'],
    subjects: ['材料科学', '化学工程', '化学'],
    schools: ['材料科学与工程学院', '化学工程与生物工程学院'],
    specs: (random, type) =>
      has(type, 'surface area')
        ? [`比表面积测量下限：${random.pick(['0.0005', '0.01'])} m²/g`, '孔径范围：0.35–500 nm', `分析站：${random.pick(['2', '3', '6'])}个`]
        : [`测量范围：${random.pick(['0.01', '0.02'])}–${random.pick(['3,500', '2,000', '3,000'])} μm`, '干法、湿法进样', '符合ISO 13320'],
  },
  '0206': {
    capability: '焊缝、铸锻件与复合材料构件内部缺陷的无损检测',
    applications: ['压力容器焊缝检测', '航空复合材料检测', '轨道交通部件探伤'],
    services: ['相控阵超声检测', '全聚焦成像', '缺陷定量评定'],
    subjects: ['机械工程', '材料科学', '土木工程'],
    schools: ['机械工程学院', '材料科学与工程学院'],
    specs: (random) => [`阵元数：${random.pick(['32', '64', '128'])}`, '支持全聚焦（TFM）成像', '配备编码器扫查器'],
  },
  '0301': {
    capability: '精密零部件几何尺寸与形位公差的测量',
    applications: ['模具与汽车零部件检测', '逆向工程', '首件检验'],
    services: ['尺寸与形位公差检测', '三维扫描', '检测报告出具'],
    subjects: ['机械工程', '仪器科学'],
    schools: ['机械工程学院', '光电科学与工程学院'],
    specs: (random) => [
      `测量范围：${random.pick(['700×1,000×600', '1,000×1,200×800', '1,200×2,000×1,000'])} mm`,
      `示值误差：MPE ${random.pick(['1.5', '1.7', '2.1'])}+L/${random.pick(['333', '350', '400'])} μm`,
      '配备扫描测头',
    ],
  },
  '0401': {
    capability: '射频微波器件、天线与高速电路的信号测试',
    applications: ['滤波器与天线测试', '5G射频器件表征', '高速串行总线信号完整性分析', 'EMC预兼容测试'],
    services: ['S参数测试', '频谱与杂散测量', '时域波形与眼图分析'],
    subjects: ['电子科学与技术', '信息与通信工程', '物理学'],
    schools: ['信息与电子工程学院', '微电子学院'],
    specs: (random, type) =>
      has(type, 'oscilloscope')
        ? [`带宽：${random.pick(['4', '8', '13', '33'])} GHz`, `采样率：${random.pick(['20', '40', '80'])} GSa/s`, '4通道']
        : has(type, 'network')
          ? [`频率范围：${random.pick(['10 MHz–26.5 GHz', '10 MHz–43.5 GHz', '10 MHz–67 GHz'])}`, `动态范围：≥${random.pick(['120', '130'])} dB`, '4端口']
          : [`频率范围：${random.pick(['2 Hz–26.5 GHz', '2 Hz–44 GHz', '10 Hz–50 GHz'])}`, `显示平均噪声电平：${random.pick(['-160', '-165'])} dBm/Hz`, '分析带宽：1 GHz'],
  },
  '0405': {
    capability: '半导体器件与材料电学特性（I-V、C-V）的测试',
    applications: ['晶体管与二极管参数测试', '新型器件可靠性研究', '薄膜材料电学表征'],
    services: ['I-V特性测试', 'C-V特性测试', '脉冲I-V测试'],
    subjects: ['电子科学与技术', '材料科学', '物理学'],
    schools: ['微电子学院', '信息与电子工程学院', '物理学院'],
    specs: (random) => [`源测量单元：${random.pick(['4', '6', '8'])}个`, `电流分辨率：${random.pick(['0.1 fA', '10 fA'])}`, 'C-V测量频率：1 kHz–5 MHz'],
  },
  '0902': {
    capability: '小动物活体成像与临床前影像研究',
    applications: ['肿瘤模型示踪', '药效学评价', '神经系统疾病模型研究'],
    services: ['活体光学成像', '磁共振成像', '三维重建与定量分析'],
    subjects: ['医学', '药学', '生物学'],
    schools: ['医学院', '药学院', '转化医学研究院'],
    specs: (random, type) =>
      has(type, 'magnetic')
        ? [`磁场强度：${random.pick(['7', '9.4', '11.7'])} T`, `孔径：${random.pick(['16', '20', '30'])} cm`, '配备小鼠与大鼠线圈']
        : ['生物发光与荧光成像', '三维断层重建', `视野：${random.pick(['5', '12.5', '25'])} cm`],
  },
  '1000': {
    capability: '放射性核素标记样品的活度测量',
    applications: ['同位素示踪实验', '药物代谢放射性测定', '环境样品放射性监测'],
    services: ['α/β活度测定', '淬灭校正测量'],
    subjects: ['核科学与技术', '生物学', '环境科学'],
    schools: ['生命科学学院', '物理学院'],
    specs: (random) => [`计数效率：³H≥${random.pick(['60', '65'])}%，¹⁴C≥95%`, `样品位：${random.pick(['200', '408', '720'])}个`, '低本底测量'],
  },
  '1401': {
    capability: '超快光谱、微纳加工与非线性光学研究',
    applications: ['超快动力学研究', '飞秒激光微纳加工', '非线性光学测量'],
    services: ['飞秒激光加工', '泵浦-探测光谱测试', '光学参量放大输出'],
    subjects: ['物理学', '光学工程', '材料科学'],
    schools: ['光电科学与工程学院', '物理学院'],
    specs: (random) => [
      `脉冲宽度：＜${random.pick(['35', '100', '190', '290'])} fs`,
      `重复频率：${random.pick(['1 kHz', '1–200 kHz', '80 MHz'])}`,
      `中心波长：${random.pick(['800', '1,030'])} nm；平均功率${random.pick(['4', '10', '20'])} W`,
    ],
  },
};

export const DEFAULT_CAPABILITY_PROFILE: DemoCapabilityProfile = {
  capability: '相关样品的测试与分析',
  applications: ['科研测试', '产品检测'],
  services: ['测试分析'],
  subjects: ['工程技术'],
  schools: ['工学院'],
  specs: () => ['主要技术指标详见设备说明书'],
};
