import { ERROR_MESSAGES, messageFor, pickLanguage } from './messages';

describe('error messages', () => {
  it.each([
    [undefined, 'en'],
    ['ja', 'ja'],
    ['ja-JP,ja;q=0.9,en-US;q=0.8', 'ja'],
    ['en-US,en;q=0.9,ja;q=0.8', 'en'],
    ['fr-FR,ja;q=0.5,en;q=0.4', 'ja'],
    ['fr-FR', 'en'],
    ['en;q=0.2, ja;q=0.7', 'ja'],
  ])('Accept-Language %s → %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });

  it('has both languages for every code, and fills params', () => {
    for (const [code, messages] of Object.entries(ERROR_MESSAGES)) {
      expect([code, Object.keys(messages).sort()]).toEqual([code, ['en', 'ja']]);
    }
    expect(messageFor('projection.unknown', 'en', { name: 'ladder' })).toBe('There is no projection named ladder.');
    expect(messageFor('no.such.code', 'ja')).toBe(ERROR_MESSAGES.internal.ja);
  });
});
