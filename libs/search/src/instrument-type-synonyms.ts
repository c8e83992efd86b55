/** Names and aliases of one instrument type; all of them are treated as synonyms. */
export interface InstrumentTypeTerms {
  categoryCode: string;
  nameZh: string;
  nameEn: string;
  aliases: readonly string[];
}

/**
 * Copy of category_code, name_zh, name_en and aliases from the demo data set
 * (libs/db/src/demo/instrument-types.csv), embedded so that search does not
 * depend on where that file lives. instrument-type-synonyms.spec.ts reports
 * drift while the CSV is still at that path.
 */
export const INSTRUMENT_TYPE_TERMS: readonly InstrumentTypeTerms[] = [
  { categoryCode: '010101', nameZh: '透射电子显微镜', nameEn: 'Transmission electron microscope', aliases: ['透射电镜', 'TEM'] },
  { categoryCode: '010101', nameZh: '冷冻透射电子显微镜', nameEn: 'Cryo-transmission electron microscope', aliases: ['冷冻电镜', 'cryo-EM'] },
  { categoryCode: '010102', nameZh: '扫描电子显微镜', nameEn: 'Scanning electron microscope', aliases: ['扫描电镜', 'SEM'] },
  { categoryCode: '010100', nameZh: '聚焦离子束扫描电子显微镜', nameEn: 'Focused ion beam scanning electron microscope', aliases: ['双束电镜', 'FIB-SEM'] },
  { categoryCode: '010100', nameZh: '电子探针显微分析仪', nameEn: 'Electron probe microanalyzer', aliases: ['电子探针', 'EPMA'] },
  { categoryCode: '010200', nameZh: '液相色谱-质谱联用仪', nameEn: 'Liquid chromatograph-mass spectrometer', aliases: ['液质联用', 'LC-MS', 'LC-MS/MS'] },
  { categoryCode: '010200', nameZh: '气相色谱-质谱联用仪', nameEn: 'Gas chromatograph-mass spectrometer', aliases: ['气质联用', 'GC-MS'] },
  { categoryCode: '010200', nameZh: '电感耦合等离子体质谱仪', nameEn: 'Inductively coupled plasma mass spectrometer', aliases: ['ICP-MS'] },
  { categoryCode: '010200', nameZh: '高分辨飞行时间质谱仪', nameEn: 'High-resolution time-of-flight mass spectrometer', aliases: ['飞行时间质谱', 'Q-TOF'] },
  { categoryCode: '010200', nameZh: '基质辅助激光解吸电离飞行时间质谱仪', nameEn: 'MALDI-TOF mass spectrometer', aliases: ['MALDI-TOF'] },
  { categoryCode: '010300', nameZh: 'X射线衍射仪', nameEn: 'X-ray diffractometer', aliases: ['XRD', '粉末衍射'] },
  { categoryCode: '010300', nameZh: '单晶X射线衍射仪', nameEn: 'Single-crystal X-ray diffractometer', aliases: ['单晶衍射仪'] },
  { categoryCode: '010300', nameZh: 'X射线光电子能谱仪', nameEn: 'X-ray photoelectron spectrometer', aliases: ['光电子能谱', 'XPS'] },
  { categoryCode: '010300', nameZh: 'X射线荧光光谱仪', nameEn: 'X-ray fluorescence spectrometer', aliases: ['XRF'] },
  { categoryCode: '010300', nameZh: 'X射线显微计算机断层扫描系统', nameEn: 'X-ray micro computed tomography system', aliases: ['显微CT', '工业CT', 'micro-CT'] },
  { categoryCode: '010400', nameZh: '傅里叶变换红外光谱仪', nameEn: 'Fourier transform infrared spectrometer', aliases: ['红外光谱', 'FTIR'] },
  { categoryCode: '010400', nameZh: '激光共聚焦拉曼光谱仪', nameEn: 'Confocal Raman spectrometer', aliases: ['拉曼光谱', 'Raman'] },
  { categoryCode: '010400', nameZh: '电感耦合等离子体发射光谱仪', nameEn: 'Inductively coupled plasma optical emission spectrometer', aliases: ['ICP-OES'] },
  { categoryCode: '010400', nameZh: '紫外-可见-近红外分光光度计', nameEn: 'UV-Vis-NIR spectrophotometer', aliases: ['紫外可见分光光度计', 'UV-Vis'] },
  { categoryCode: '010400', nameZh: '稳态瞬态荧光光谱仪', nameEn: 'Steady-state and transient fluorescence spectrometer', aliases: ['荧光光谱仪'] },
  { categoryCode: '010500', nameZh: '高效液相色谱仪', nameEn: 'High-performance liquid chromatograph', aliases: ['液相色谱', 'HPLC'] },
  { categoryCode: '010500', nameZh: '气相色谱仪', nameEn: 'Gas chromatograph', aliases: ['气相色谱', 'GC'] },
  { categoryCode: '010500', nameZh: '离子色谱仪', nameEn: 'Ion chromatograph', aliases: ['离子色谱', 'IC'] },
  { categoryCode: '010500', nameZh: '凝胶渗透色谱仪', nameEn: 'Gel permeation chromatograph', aliases: ['GPC', '分子量分布'] },
  { categoryCode: '010601', nameZh: '核磁共振波谱仪', nameEn: 'Nuclear magnetic resonance spectrometer', aliases: ['核磁', 'NMR'] },
  { categoryCode: '010600', nameZh: '电子顺磁共振波谱仪', nameEn: 'Electron paramagnetic resonance spectrometer', aliases: ['顺磁共振', 'EPR', 'ESR'] },
  { categoryCode: '010700', nameZh: '电化学工作站', nameEn: 'Electrochemical workstation', aliases: ['电化学'] },
  { categoryCode: '010800', nameZh: '激光扫描共聚焦显微镜', nameEn: 'Confocal laser scanning microscope', aliases: ['激光共聚焦', '共聚焦显微镜'] },
  { categoryCode: '010800', nameZh: '原子力显微镜', nameEn: 'Atomic force microscope', aliases: ['AFM'] },
  { categoryCode: '010800', nameZh: '超高分辨率荧光显微镜', nameEn: 'Super-resolution fluorescence microscope', aliases: ['超分辨显微镜', 'STED', 'SIM'] },
  { categoryCode: '010800', nameZh: '活细胞成像系统', nameEn: 'Live-cell imaging system', aliases: ['活细胞成像', '高内涵'] },
  { categoryCode: '010900', nameZh: '同步热分析仪', nameEn: 'Simultaneous thermal analyzer', aliases: ['热重', 'TG-DSC', 'STA'] },
  { categoryCode: '010900', nameZh: '差示扫描量热仪', nameEn: 'Differential scanning calorimeter', aliases: ['DSC'] },
  { categoryCode: '011000', nameZh: '流式细胞仪', nameEn: 'Flow cytometer', aliases: ['流式', 'FACS'] },
  { categoryCode: '011000', nameZh: '实时荧光定量PCR仪', nameEn: 'Real-time quantitative PCR system', aliases: ['荧光定量PCR', 'qPCR'] },
  { categoryCode: '011000', nameZh: '高通量基因测序仪', nameEn: 'High-throughput gene sequencer', aliases: ['二代测序', 'NGS', '测序仪'] },
  { categoryCode: '011000', nameZh: '超速离心机', nameEn: 'Ultracentrifuge', aliases: ['超离'] },
  { categoryCode: '011100', nameZh: '元素分析仪', nameEn: 'Elemental analyzer', aliases: ['CHNS', '元素分析'] },
  { categoryCode: '020100', nameZh: '万能材料试验机', nameEn: 'Universal testing machine', aliases: ['万能试验机', '拉伸试验'] },
  { categoryCode: '020100', nameZh: '电液伺服疲劳试验机', nameEn: 'Servo-hydraulic fatigue testing system', aliases: ['疲劳试验机'] },
  { categoryCode: '020100', nameZh: '纳米压痕仪', nameEn: 'Nanoindenter', aliases: ['纳米压痕'] },
  { categoryCode: '020400', nameZh: '激光多普勒测振仪', nameEn: 'Laser Doppler vibrometer', aliases: ['测振仪'] },
  { categoryCode: '020500', nameZh: '激光粒度分析仪', nameEn: 'Laser diffraction particle size analyzer', aliases: ['粒度仪', '激光粒度'] },
  { categoryCode: '020500', nameZh: '比表面及孔径分析仪', nameEn: 'Surface area and pore size analyzer', aliases: ['比表面', 'BET'] },
  { categoryCode: '020600', nameZh: '超声相控阵检测系统', nameEn: 'Phased-array ultrasonic testing system', aliases: ['相控阵', '超声探伤'] },
  { categoryCode: '030100', nameZh: '三坐标测量机', nameEn: 'Coordinate measuring machine', aliases: ['三坐标', 'CMM'] },
  { categoryCode: '040100', nameZh: '矢量网络分析仪', nameEn: 'Vector network analyzer', aliases: ['网络分析仪', 'VNA'] },
  { categoryCode: '040100', nameZh: '频谱分析仪', nameEn: 'Spectrum analyzer', aliases: ['频谱仪'] },
  { categoryCode: '040100', nameZh: '高速数字示波器', nameEn: 'High-speed digital oscilloscope', aliases: ['示波器'] },
  { categoryCode: '040500', nameZh: '半导体参数分析仪', nameEn: 'Semiconductor parameter analyzer', aliases: ['半导体参数', 'IV/CV'] },
  { categoryCode: '090200', nameZh: '小动物活体光学成像系统', nameEn: 'In vivo small-animal optical imaging system', aliases: ['活体成像', 'IVIS'] },
  { categoryCode: '090200', nameZh: '小动物磁共振成像系统', nameEn: 'Preclinical magnetic resonance imaging system', aliases: ['小动物MRI'] },
  { categoryCode: '100000', nameZh: '液体闪烁计数仪', nameEn: 'Liquid scintillation counter', aliases: ['液闪'] },
  { categoryCode: '140100', nameZh: '飞秒激光器', nameEn: 'Femtosecond laser system', aliases: ['飞秒激光'] },
];
