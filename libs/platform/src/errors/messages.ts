/**
 * Human messages for stable error codes, in Japanese and English. The `code` is the contract; the message
 * is for people and may change. `{name}` placeholders are filled from the error's params.
 */
export type Language = 'ja' | 'en';

export const ERROR_MESSAGES: Record<string, Record<Language, string>> = {
  'validation.failed': { en: 'The request is not valid.', ja: 'リクエストの内容が正しくありません。' },
  'request.malformed_json': { en: 'The request body is not valid JSON.', ja: 'リクエスト本文が正しいJSONではありません。' },
  'request.body_too_large': { en: 'The request body is too large.', ja: 'リクエスト本文が大きすぎます。' },
  'request.unsupported_media_type': { en: 'Send the body as application/json.', ja: '本文は application/json で送信してください。' },
  'auth.missing_token': { en: 'Sign in: a bearer token is required.', ja: 'ログインが必要です（Bearerトークンがありません）。' },
  'auth.invalid_token': { en: 'The bearer token is invalid or expired.', ja: 'トークンが無効か、有効期限が切れています。' },
  'auth.forbidden': { en: 'You are not allowed to do this.', ja: 'この操作を行う権限がありません。' },
  'route.not_found': { en: 'There is no such route.', ja: 'このURLは存在しません。' },
  'method.not_allowed': { en: 'This method is not allowed here.', ja: 'このメソッドは使用できません。' },
  'concurrency.conflict': {
    en: 'Someone changed this at the same time. Reload and try again.',
    ja: '同時に別の更新がありました。再読み込みしてもう一度お試しください。',
  },
  'read_model.behind': {
    en: 'The data you asked to see is not ready yet. Try again shortly.',
    ja: '指定されたデータはまだ反映されていません。少し待ってからお試しください。',
  },
  'projection.unknown': { en: 'There is no projection named {name}.', ja: '{name} という集計（プロジェクション）はありません。' },
  'idempotency.key_reused': {
    en: 'This Idempotency-Key was used with a different request.',
    ja: 'このIdempotency-Keyは別のリクエストで使用済みです。',
  },
  'service.unavailable': { en: 'A service the product needs is unavailable.', ja: '必要なサービスに接続できません。' },
  internal: { en: 'Something went wrong on our side.', ja: 'サーバー内部でエラーが発生しました。' },
};

/** Picks ja or en from an Accept-Language header by quality; English when neither is asked for. */
export function pickLanguage(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'en';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('ja')) return 'ja';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function messageFor(code: string, language: Language, params: Record<string, unknown> = {}): string {
  const template = ERROR_MESSAGES[code]?.[language] ?? ERROR_MESSAGES.internal[language];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ''));
}
