import { normaliseTag } from './text';

export interface SkillEntry {
  code: string;
  ja: string;
  en: string;
  /** Other words people write for it, in either language (compared after NFKC and lower-casing). */
  synonyms: string[];
}

/**
 * The shared skill taxonomy: a person may write 料理, 調理 or "cooking" and an opportunity asks for one of
 * them; all three are the skill `cooking`. Tags outside the taxonomy stay free tags, normalised.
 */
export const SKILL_TAXONOMY: readonly SkillEntry[] = [
  { code: 'cooking', ja: '調理', en: 'cooking', synonyms: ['料理', 'クッキング', '炊き出し'] },
  { code: 'it', ja: 'IT', en: 'IT', synonyms: ['パソコン', 'pc', 'pcサポート', 'コンピュータ', 'it support'] },
  { code: 'web', ja: 'ウェブ制作', en: 'web development', synonyms: ['ホームページ制作', 'ウェブサイト', 'website', 'web'] },
  { code: 'design', ja: 'デザイン', en: 'design', synonyms: ['グラフィックデザイン', 'graphic design'] },
  { code: 'accounting', ja: '会計', en: 'accounting', synonyms: ['経理', '簿記', 'bookkeeping'] },
  { code: 'law', ja: '法務', en: 'law', synonyms: ['法律', 'legal'] },
  { code: 'pr', ja: '広報', en: 'PR', synonyms: ['public relations', 'sns運用', 'social media'] },
  { code: 'translation', ja: '翻訳', en: 'translation', synonyms: ['通訳', 'interpreting'] },
  { code: 'childcare', ja: '保育', en: 'childcare', synonyms: ['子守り', '子育て支援'] },
  { code: 'elderly_care', ja: '介護', en: 'elderly care', synonyms: ['高齢者支援', 'care work'] },
  { code: 'first_aid', ja: '救命救急', en: 'first aid', synonyms: ['応急手当', '救急法'] },
  { code: 'driving', ja: '運転', en: 'driving', synonyms: ['ドライバー', 'driver'] },
  { code: 'photography', ja: '写真撮影', en: 'photography', synonyms: ['写真', 'カメラ', 'camera'] },
  { code: 'event_planning', ja: 'イベント企画', en: 'event planning', synonyms: ['企画', 'イベント運営', 'events'] },
  { code: 'tutoring', ja: '学習支援', en: 'tutoring', synonyms: ['勉強会', '家庭教師', 'teaching'] },
  { code: 'gardening', ja: '園芸', en: 'gardening', synonyms: ['緑化', '花壇', '公園清掃', 'park care'] },
  { code: 'facilitation', ja: 'ファシリテーション', en: 'facilitation', synonyms: ['司会', '進行'] },
  { code: 'music', ja: '音楽', en: 'music', synonyms: ['演奏', '合唱'] },
  { code: 'sports_coaching', ja: 'スポーツ指導', en: 'sports coaching', synonyms: ['体操指導', 'コーチ'] },
];

const CANONICAL = new Map<string, string>();
for (const entry of SKILL_TAXONOMY) {
  for (const word of [entry.code, entry.ja, entry.en, ...entry.synonyms]) CANONICAL.set(normaliseTag(word), entry.code);
}

/** The taxonomy code for a tag, or the tag itself (normalised) when it is a free tag. */
export function canonicalSkill(tag: string): string {
  const normalised = normaliseTag(tag);
  return CANONICAL.get(normalised) ?? normalised;
}

/** Skills as stored and indexed: canonical, de-duplicated, empty dropped, order kept. */
export function normaliseSkills(values: readonly string[]): string[] {
  return [...new Set(values.map(canonicalSkill).filter((skill) => skill.length > 0))];
}
