import type { Ward } from '@tsunagi/domain';
import type { OrganisationType } from '@tsunagi/participants';

/** Common family and given names: enough variety that a few thousand demo residents read like a real ward. */
const FAMILY_NAMES = [
  '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '山口', '松本',
  '井上', '木村', '林', '斎藤', '清水', '山崎', '森', '池田', '橋本', '阿部', '石川', '山下', '中島', '石井', '小川',
  '前田', '岡田', '長谷川', '藤田', '後藤', '近藤', '村上', '遠藤', '青木', '坂本', '福田', '太田', '西村', '藤井', '金子',
  '岡本', '藤原', '中野', '三浦', '原田', '松田', '竹内', '小野', '田村', '中川', '和田', '石田', '森田', '上田', '原',
];
const GIVEN_NAMES = [
  '花子', '太郎', '陽菜', '蓮', '結衣', '大翔', '美咲', '悠真', 'さくら', '湊', '葵', '陽翔', '凛', '樹', '美月', '颯太',
  '恵子', '浩', '洋子', '誠', '由美', '健一', '直子', '隆', '裕子', '修', '久美子', '勝', '明美', '茂', '和子', '進',
  '真由美', '大輔', '智子', '拓也', '愛', '翔太', '舞', '健太', 'ひかり', '翼', '彩', '亮', '千尋', '海斗', '優子', '剛',
];
/** A few residents write their names in the Latin alphabet (Kawasaki has large Filipino, Vietnamese, Nepali communities). */
const FOREIGN_NAMES = ['Maria Santos', 'Nguyen Van An', 'Tran Thi Mai', 'Bishal Gurung', 'Anjali Thapa', 'Jose Reyes', 'Kim Min-ji', 'Li Wei', 'Ana Silva', 'John Miller'];

/** Place words per ward, for organisation names that sound local. */
const PLACES: Record<Ward, string[]> = {
  kawasaki: ['大師', '田島', '桜本', '川中島', '藤崎', '小田'],
  saiwai: ['鹿島田', '日吉', '南加瀬', '古市場', '戸手', '下平間'],
  nakahara: ['武蔵小杉', '元住吉', '新丸子', '平間', '井田', '小杉'],
  takatsu: ['溝口', '高津', '梶ヶ谷', '久地', '末長', '子母口'],
  miyamae: ['宮前平', '鷺沼', '有馬', '野川', '向丘', '菅生'],
  tama: ['登戸', '生田', '稲田堤', '中野島', '宿河原', '菅'],
  asao: ['新百合ヶ丘', '柿生', '百合ヶ丘', '栗平', '王禅寺', '岡上'],
};

const ORGANISATION_NAME_PATTERNS: Record<OrganisationType, string[]> = {
  neighbourhood_association: ['{place}町内会', '{place}自治会', '{place}第二町内会'],
  npo: ['NPO法人 {place}子ども応援ネット', 'NPO法人 {place}ささえあい', 'NPO法人 かわさき{place}みどりの会'],
  civic_group: ['{place}子育てサークル', '{place}認知症カフェ', '{place}防災ネットワーク', '{place}公園愛護会', '{place}多文化交流の会', '{place}読み聞かせの会'],
  company: ['{place}電機株式会社', '株式会社{place}ベーカリー', '{place}信用金庫', '株式会社{place}デザイン'],
  university: ['{place}大学 地域連携センター', '{place}大学 社会学ゼミ', '{place}短期大学 ボランティアセンター'],
  district_welfare_council: ['{place}地区社会福祉協議会'],
  shopping_street: ['{place}商店会', '{place}駅前商店街振興組合'],
  machi_no_hiroba_operator: ['まちのひろば {place}えんがわ', '{place}コミュニティカフェ', '{place}みんなの食堂'],
  ward_office: ['{ward}役所 地域振興課'],
  sdc: ['{ward}ソーシャルデザインセンター'],
};

export function personName(random: () => number): string {
  if (random() < 0.03) return pick(random, FOREIGN_NAMES);
  return `${pick(random, FAMILY_NAMES)} ${pick(random, GIVEN_NAMES)}`;
}

export function organisationName(random: () => number, type: OrganisationType, ward: Ward, wardName: string): string {
  return pick(random, ORGANISATION_NAME_PATTERNS[type]).replace('{place}', pick(random, PLACES[ward])).replace('{ward}', wardName);
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
