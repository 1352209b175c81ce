import { canonicalSkill, normaliseSkills } from './skills';

describe('skill taxonomy', () => {
  it.each([
    ['料理', 'cooking'],
    ['調理', 'cooking'],
    ['Cooking', 'cooking'],
    ['ＩＴ', 'it'],
    ['パソコン', 'it'],
    ['ＰＣサポート', 'it'],
    ['経理', 'accounting'],
    ['通訳', 'translation'],
    ['  けん玉  ', 'けん玉'],
    ['Kendama', 'kendama'],
  ])('%s → %s', (tag, code) => {
    expect(canonicalSkill(tag)).toBe(code);
  });

  it('folds synonyms and widths into one skill, keeping free tags and order', () => {
    expect(normaliseSkills(['料理', 'けん玉', 'cooking', 'ＩＴ', 'IT', ' '])).toEqual(['cooking', 'けん玉', 'it']);
  });
});
