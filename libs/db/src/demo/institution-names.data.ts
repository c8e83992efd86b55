/**
 * Building blocks for plausible, invented institution and people names. In the templates,
 * {p} / {P} stand for a Chinese / English place name. Any likeness to a real institution is
 * accidental: these are demo data.
 */
export interface NameTemplate {
  zh: string;
  en: string;
}

export const UNIVERSITY_TEMPLATES: readonly NameTemplate[] = [
  { zh: '{p}大学', en: '{P} University' },
  { zh: '{p}理工大学', en: '{P} University of Technology' },
  { zh: '{p}科技大学', en: '{P} University of Science and Technology' },
  { zh: '{p}师范大学', en: '{P} Normal University' },
  { zh: '{p}医科大学', en: '{P} Medical University' },
  { zh: '{p}农林大学', en: '{P} Agriculture and Forestry University' },
  { zh: '{p}海洋大学', en: '{P} Ocean University' },
  { zh: '{p}财经大学', en: '{P} University of Finance and Economics' },
  { zh: '{p}中医药大学', en: '{P} Chinese Medical University' },
  { zh: '{p}电子科技大学', en: '{P} University of Electronic Science and Technology' },
  { zh: '{p}工程大学', en: '{P} Engineering University' },
  { zh: '{p}城市学院', en: '{P} City College' },
  { zh: '{p}科技学院', en: '{P} College of Science and Technology' },
  { zh: '{p}理工学院', en: '{P} Institute of Technology' },
  { zh: '{p}工商大学', en: '{P} Technology and Business University' },
  { zh: '{p}学院', en: '{P} College' },
  { zh: '{p}职业技术学院', en: '{P} Vocational and Technical College' },
  { zh: '{p}工业职业技术学院', en: '{P} Industry Polytechnic College' },
  { zh: '{p}药科大学', en: '{P} Pharmaceutical University' },
  { zh: '{p}交通职业技术学院', en: '{P} Vocational College of Communications' },
];

/** Research fields, for institutes: '{p}{field}研究院'. */
export const RESEARCH_FIELDS: readonly NameTemplate[] = [
  { zh: '新材料', en: 'New Materials' },
  { zh: '智能制造', en: 'Intelligent Manufacturing' },
  { zh: '生物医药', en: 'Biomedicine' },
  { zh: '光电技术', en: 'Optoelectronic Technology' },
  { zh: '海洋科学', en: 'Marine Science' },
  { zh: '农业科学', en: 'Agricultural Sciences' },
  { zh: '环境科学', en: 'Environmental Sciences' },
  { zh: '先进制造', en: 'Advanced Manufacturing' },
  { zh: '集成电路', en: 'Integrated Circuits' },
  { zh: '化工', en: 'Chemical Engineering' },
  { zh: '纺织科学', en: 'Textile Science' },
  { zh: '食品科学', en: 'Food Science' },
  { zh: '工业技术', en: 'Industrial Technology' },
  { zh: '生命健康', en: 'Life and Health Sciences' },
  { zh: '新能源', en: 'New Energy' },
  { zh: '人工智能', en: 'Artificial Intelligence' },
  { zh: '地质', en: 'Geology' },
  { zh: '林业', en: 'Forestry' },
  { zh: '水产', en: 'Fisheries' },
  { zh: '轻工', en: 'Light Industry' },
  { zh: '机电', en: 'Mechatronics' },
  { zh: '微电子', en: 'Microelectronics' },
  { zh: '医疗器械', en: 'Medical Devices' },
  { zh: '药物', en: 'Drug Research' },
  { zh: '量子技术', en: 'Quantum Technology' },
  { zh: '机器人', en: 'Robotics' },
];

export const INSTITUTE_TEMPLATES: readonly NameTemplate[] = [
  { zh: '{p}{f}研究院', en: '{P} Research Institute of {F}' },
  { zh: '{p}{f}研究所', en: '{P} Institute of {F}' },
  { zh: '{p}{f}创新研究院', en: '{P} Innovation Institute of {F}' },
];

/** Public testing and service bodies (kind 'other'). */
export const OTHER_TEMPLATES: readonly NameTemplate[] = [
  { zh: '{p}分析测试中心', en: '{P} Analysis and Testing Center' },
  { zh: '{p}产品质量检验研究院', en: '{P} Institute of Product Quality Inspection' },
  { zh: '{p}疾病预防控制中心', en: '{P} Center for Disease Control and Prevention' },
  { zh: '{p}生态环境监测中心', en: '{P} Ecological and Environmental Monitoring Center' },
  { zh: '{p}食品药品检验研究院', en: '{P} Institute for Food and Drug Control' },
  { zh: '{p}计量检定测试院', en: '{P} Institute of Metrology' },
  { zh: '{p}特种设备检验研究院', en: '{P} Special Equipment Inspection Institute' },
  { zh: '{p}农业技术推广中心', en: '{P} Agricultural Technology Extension Center' },
  { zh: '{p}科技创新服务中心', en: '{P} Science and Technology Innovation Service Center' },
  { zh: '{p}检验检测认证中心', en: '{P} Testing and Certification Center' },
];

export const HOSPITAL_TEMPLATES: readonly NameTemplate[] = [
  { zh: '{p}第{n}人民医院', en: "The {N} People's Hospital of {P}" },
  { zh: '{p}中心医院', en: '{P} Central Hospital' },
  { zh: '{p}中医院', en: '{P} Hospital of Traditional Chinese Medicine' },
  { zh: '{p}妇幼保健院', en: '{P} Maternal and Child Health Hospital' },
  { zh: '{p}人民医院', en: "{P} People's Hospital" },
  { zh: '{p}肿瘤医院', en: '{P} Cancer Hospital' },
  { zh: '{p}口腔医院', en: '{P} Stomatological Hospital' },
  { zh: '{p}儿童医院', en: "{P} Children's Hospital" },
];

/** '{university}附属第{n}医院'. */
export const AFFILIATED_HOSPITAL_TEMPLATE: NameTemplate = { zh: '{p}附属第{n}医院', en: 'The {N} Affiliated Hospital of {P}' };

/** '{university}{city}研究院': a university's institute in another city. */
export const BRANCH_INSTITUTE_TEMPLATE: NameTemplate = { zh: '{p}{c}研究院', en: '{P} {C} Research Institute' };

export const CHINESE_ORDINALS: readonly NameTemplate[] = [
  { zh: '一', en: 'First' },
  { zh: '二', en: 'Second' },
  { zh: '三', en: 'Third' },
  { zh: '四', en: 'Fourth' },
  { zh: '五', en: 'Fifth' },
  { zh: '六', en: 'Sixth' },
  { zh: '七', en: 'Seventh' },
  { zh: '八', en: 'Eighth' },
  { zh: '九', en: 'Ninth' },
];

/** Invented trade names for firms, with their pinyin. */
export const FIRM_BRANDS: readonly NameTemplate[] = [
  { zh: '华创', en: 'Huachuang' }, { zh: '恒信', en: 'Hengxin' }, { zh: '精测', en: 'Jingce' },
  { zh: '博远', en: 'Boyuan' }, { zh: '睿达', en: 'Ruida' }, { zh: '中科', en: 'Zhongke' },
  { zh: '鑫源', en: 'Xinyuan' }, { zh: '瑞丰', en: 'Ruifeng' }, { zh: '天成', en: 'Tiancheng' },
  { zh: '英诺', en: 'Yingnuo' }, { zh: '迈科', en: 'Maike' }, { zh: '宏达', en: 'Hongda' },
  { zh: '新锐', en: 'Xinrui' }, { zh: '海纳', en: 'Haina' }, { zh: '云帆', en: 'Yunfan' },
  { zh: '启明', en: 'Qiming' }, { zh: '衡准', en: 'Hengzhun' }, { zh: '普创', en: 'Puchuang' },
  { zh: '思远', en: 'Siyuan' }, { zh: '聚能', en: 'Juneng' }, { zh: '凯德', en: 'Kaide' },
  { zh: '汇智', en: 'Huizhi' }, { zh: '光华', en: 'Guanghua' }, { zh: '德润', en: 'Derun' },
  { zh: '安诺', en: 'Annuo' }, { zh: '卓越', en: 'Zhuoyue' }, { zh: '锐思', en: 'Ruisi' },
  { zh: '微纳', en: 'Weina' }, { zh: '晶华', en: 'Jinghua' }, { zh: '众联', en: 'Zhonglian' },
  { zh: '明德', en: 'Mingde' }, { zh: '泰和', en: 'Taihe' }, { zh: '科瑞', en: 'Kerui' },
  { zh: '和盛', en: 'Hesheng' }, { zh: '嘉禾', en: 'Jiahe' }, { zh: '蓝海', en: 'Lanhai' },
  { zh: '金诚', en: 'Jincheng' }, { zh: '远航', en: 'Yuanhang' }, { zh: '青禾', en: 'Qinghe' },
  { zh: '同创', en: 'Tongchuang' },
];

export const FIRM_INDUSTRIES: readonly NameTemplate[] = [
  { zh: '科技', en: 'Technology' },
  { zh: '新材料', en: 'New Material' },
  { zh: '生物科技', en: 'Biotechnology' },
  { zh: '仪器', en: 'Instrument' },
  { zh: '检测技术', en: 'Testing Technology' },
  { zh: '精密机械', en: 'Precision Machinery' },
  { zh: '电子', en: 'Electronics' },
  { zh: '医疗器械', en: 'Medical Device' },
  { zh: '化工', en: 'Chemical' },
  { zh: '光电', en: 'Optoelectronics' },
  { zh: '半导体', en: 'Semiconductor' },
  { zh: '汽车零部件', en: 'Auto Parts' },
  { zh: '环保科技', en: 'Environmental Technology' },
  { zh: '食品', en: 'Food' },
  { zh: '纺织', en: 'Textile' },
  { zh: '药业', en: 'Pharmaceutical' },
];

export const SURNAMES: readonly string[] = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林',
  '高', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '潘',
  '袁', '蔡', '蒋', '余', '于', '杜', '叶', '程', '魏', '苏', '吕', '丁', '任', '沈', '姚', '卢', '傅', '钟',
  '姜', '崔', '谭', '陆', '范', '汪', '方', '金', '俞', '孔', '楼', '应',
];

export const GIVEN_NAME_CHARACTERS: readonly string[] = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '超', '华', '平',
  '刚', '晓', '红', '霞', '建', '文', '斌', '宇', '浩', '婷', '雪', '琳', '晨', '欣', '怡', '佳', '俊', '鹏',
  '辉', '凯', '慧', '颖', '倩', '亮', '璐', '蕾', '思', '涵', '博', '远', '立', '群', '志', '海', '燕', '青',
];

/** Where an owner keeps its instruments, by institution kind. */
export const BUILDINGS: Readonly<Record<string, readonly string[]>> = {
  university: ['理化楼', '分析测试中心大楼', '材料楼', '生命科学楼', '实验楼A座', '科研楼', '工程训练中心', '化学楼'],
  research_institute: ['科研主楼', '中试楼', '检测大楼', '实验楼B座', '综合楼'],
  hospital: ['科研楼', '医技楼', '实验中心楼', '转化医学楼'],
  enterprise: ['研发楼', '综合楼', '二号厂房', '检测中心楼'],
  other: ['检测大楼', '业务楼', '实验楼'],
};

/** Departments other than university schools, by institution kind. */
export const DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  university: ['分析测试中心', '公共技术平台', '大型仪器共享平台'],
  research_institute: ['分析测试部', '公共技术服务中心', '测试表征平台', '中心实验室'],
  hospital: ['中心实验室', '检验科', '病理科', '临床研究中心', '转化医学中心'],
  enterprise: ['研发中心', '质量部', '检测实验室', '工程技术中心'],
  other: ['理化检测室', '仪器分析室', '综合检测部', '微生物检测室'],
};

export const SHARING_RULES_EXTERNAL: readonly string[] = [
  '请提前{d}个工作日通过平台预约',
  '首次自主上机须参加培训并通过考核',
  '送样须附样品信息单，注明成分及危险性',
  '预约开始后{m}分钟未到视为爽约，累计三次暂停预约资格',
  '取消预约须至少提前24小时',
  '不接受含放射性或强腐蚀性的样品',
  '夜间机时须经设备管理员同意',
  '测试数据请在一个月内自行拷贝',
];

export const SHARING_RULES_INTERNAL_ONLY = '目前仅对本单位用户开放，校外用户请联系设备管理员咨询';
export const SHARING_RULES_NOT_SHARED = '设备承担专项科研任务，暂不对外共享';
