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
  'read_model.not_ready': {
    en: 'These figures are being recomputed from the events ({state}, {percent}% done); until that ends they would count only part of history. Try again shortly.',
    ja: 'この集計はイベントから再計算中です（{state}、{percent}%完了）。終わるまでは一部の履歴しか数えないため、少し待ってからお試しください。',
  },
  'read_model.failed': {
    en: 'These figures cannot be computed now: their read model stopped at an event it could not apply. An administrator can see it in /health and rebuild it.',
    ja: 'この集計は現在計算できません。読み取りモデルが適用できないイベントで停止しています。管理者が /health で確認し、再構築できます。',
  },
  'projection.unknown': { en: 'There is no projection named {name}.', ja: '{name} という集計（プロジェクション）はありません。' },
  'idempotency.key_reused': {
    en: 'This Idempotency-Key was used with a different request.',
    ja: 'このIdempotency-Keyは別のリクエストで使用済みです。',
  },
  'idempotency.key_invalid': { en: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.', ja: 'Idempotency-Keyヘッダーは1〜255文字の半角英数記号で指定してください。' },
  'idempotency.in_progress': { en: 'A request with this Idempotency-Key is still being processed.', ja: 'このIdempotency-Keyのリクエストは処理中です。' },
  'analytics.period_invalid': { en: 'The period must start on or before it ends, and end on or before asOf.', ja: '期間の開始は終了以前、終了は基準日以前にしてください。' },
  'analytics.ward_conflict': { en: 'ward and sdc name the same filter (one SDC per ward); give one, or the same value.', ja: 'ward と sdc は同じ絞り込みです（各区に1つのSDC）。どちらか一方、または同じ値を指定してください。' },
  'opportunity.not_found': { en: 'There is no such opportunity.', ja: '該当する募集が見つかりません。' },
  'opportunity.already_exists': { en: 'This opportunity already exists.', ja: 'この募集はすでに存在します。' },
  'opportunity.closed': { en: 'This opportunity is closed.', ja: 'この募集は締め切られています。' },
  'opportunity.already_open': { en: 'This opportunity is already open.', ja: 'この募集はすでに公開中です。' },
  'opportunity.full': { en: 'All {places} places are taken.', ja: '定員（{places}名）に達しています。' },
  'opportunity.places_invalid': { en: 'An opportunity needs at least one place.', ja: '定員は1名以上にしてください。' },
  'opportunity.places_below_taken': { en: 'Places cannot be fewer than the {taken} already taken.', ja: 'すでに決まっている{taken}名より少ない定員にはできません。' },
  'opportunity.kind_unchangeable': { en: 'The kind of an opportunity cannot change.', ja: '募集の種類は変更できません。' },
  'match.not_found': { en: 'There is no such match.', ja: '該当するマッチングが見つかりません。' },
  'match.already_exists': { en: 'This match already exists.', ja: 'このマッチングはすでに存在します。' },
  'match.duplicate': { en: 'This candidate already has an open match for this opportunity.', ja: 'この候補者はこの募集ですでに進行中のマッチングがあります。' },
  'match.candidate_type': { en: 'This opportunity is for a candidate of type {expected}.', ja: 'この募集の対象は {expected} です。' },
  'match.self_collaboration': { en: 'An organisation cannot collaborate with itself.', ja: '同じ団体同士の連携はできません。' },
  'match.invalid_transition': { en: 'A match that is {from} cannot do {command}.', ja: '現在の状態（{from}）では {command} はできません。' },
  'hours.duplicate_entry': { en: 'These hours were already logged.', ja: 'この活動時間はすでに記録されています。' },
  'hours.invalid': { en: 'Hours must be more than 0 and at most 24.', ja: '活動時間は0より大きく24以下にしてください。' },
  'hours.not_found': { en: 'There is no such hours entry.', ja: '該当する活動時間の記録がありません。' },
  'hours.already_approved': { en: 'These hours are already approved.', ja: 'この活動時間はすでに承認されています。' },
  'person.not_found': { en: 'There is no such person.', ja: '該当する人が見つかりません。' },
  'person.already_registered': { en: 'This person is already registered.', ja: 'この人はすでに登録されています。' },
  'person.already_paused': { en: 'This person is already paused.', ja: 'すでに休止中です。' },
  'person.not_paused': { en: 'This person is not paused.', ja: '休止中ではありません。' },
  'person.deactivated': { en: 'This person has left tsunagi.', ja: 'この人は退会しています。' },
  'person.inactive': { en: 'This person is paused or has left, and cannot be matched now.', ja: 'この人は休止中または退会済みのため、マッチングできません。' },
  'person.invalid': { en: 'The value of {field} is not valid.', ja: '{field} の値が正しくありません。' },
  'organisation.not_found': { en: 'There is no such organisation.', ja: '該当する団体が見つかりません。' },
  'organisation.already_registered': { en: 'This organisation is already registered.', ja: 'この団体はすでに登録されています。' },
  'organisation.deactivated': { en: 'This organisation is no longer active.', ja: 'この団体は活動を終了しています。' },
  'organisation.representative_exists': { en: 'This person already represents the organisation.', ja: 'この人はすでに団体の担当者です。' },
  'organisation.representative_not_found': { en: 'This person does not represent the organisation.', ja: 'この人は団体の担当者ではありません。' },
  'organisation.last_representative': { en: 'An active organisation keeps at least one representative.', ja: '活動中の団体には担当者が最低1名必要です。' },
  'organisation.invalid': { en: 'The value of {field} is not valid.', ja: '{field} の値が正しくありません。' },
  'meeting.not_found': { en: 'There is no such meeting.', ja: '該当するミーティングが見つかりません。' },
  'meeting.already_exists': { en: 'This meeting already exists.', ja: 'このミーティングはすでに存在します。' },
  'meeting.invalid': { en: 'The value of {field} is not valid.', ja: '{field} の値が正しくありません。' },
  'meeting.invalid_transition': { en: 'A meeting that is {from} cannot do {command}.', ja: '現在の状態（{from}）では {command} はできません。' },
  'meeting.capacity_below_registered': {
    en: 'Capacity cannot be fewer than the {registered} people already registered.',
    ja: 'すでに参加登録している{registered}名より少ない定員にはできません。',
  },
  'meeting.already_registered': { en: 'This person is already registered or on the waitlist.', ja: 'この人はすでに参加登録済みか、キャンセル待ちです。' },
  'meeting.not_registered': { en: 'This person is not registered for this meeting.', ja: 'この人はこのミーティングに参加登録していません。' },
  'meeting.over': { en: 'This meeting has already ended.', ja: 'このミーティングはすでに終了しています。' },
  'meeting.already_checked_in': { en: 'This person has already checked in.', ja: 'この人はすでに受付済みです。' },
  'meeting.not_started': { en: 'A meeting cannot be closed before it starts.', ja: '開始前のミーティングは終了できません。' },
  'spinoff.not_found': { en: 'There is no such spin-off project.', ja: '該当するスピンオフ企画が見つかりません。' },
  'spinoff.already_exists': { en: 'This spin-off project already exists.', ja: 'このスピンオフ企画はすでに存在します。' },
  'spinoff.invalid': { en: 'The value of {field} is not valid.', ja: '{field} の値が正しくありません。' },
  'spinoff.ended': { en: 'This spin-off project is {status}: nothing changes any more.', ja: 'このスピンオフ企画は終了しています（{status}）。変更できません。' },
  'spinoff.not_acknowledged': { en: 'A coordinator must acknowledge the spin-off before it is launched.', ja: '開始する前に、コーディネーターによる承認が必要です。' },
  'spinoff.invalid_transition': { en: 'A spin-off that is {from} cannot do {command}.', ja: '現在の状態（{from}）では {command} はできません。' },
  'spinoff.origin_invalid': {
    en: 'Meeting {meetingId} has no outcome {outcomeId}: a spin-off comes from an outcome of a closed meeting.',
    ja: 'ミーティング {meetingId} には成果 {outcomeId} がありません。スピンオフ企画は終了したミーティングの成果から提案してください。',
  },
  'spinoff.already_member': { en: 'This person is already a member of the project.', ja: 'この人はすでに企画のメンバーです。' },
  'spinoff.not_member': { en: 'This person is not a member of the project.', ja: 'この人は企画のメンバーではありません。' },
  'spinoff.last_organiser': { en: 'The last organiser cannot leave while the project goes on.', ja: '企画が続いている間、最後の運営者は抜けられません。' },
  'spinoff.role_already_exists': { en: 'This role already exists.', ja: 'この役割はすでに存在します。' },
  'spinoff.role_not_found': { en: 'There is no such role in this project.', ja: 'この企画に該当する役割がありません。' },
  'spinoff.too_many_invitations': { en: 'Invite at most {max} people at a time.', ja: '一度に招待できるのは{max}人までです。' },
  'spinoff.person_not_contactable': {
    en: 'This person has not agreed to be contacted, so cannot be invited.',
    ja: 'この人は連絡を受け取ることに同意していないため、招待できません。',
  },
  'spinoff.role_closed': { en: 'This role is already closed.', ja: 'この役割はすでに締め切られています。' },
  'spinoff.milestone_already_exists': { en: 'This milestone already exists.', ja: 'このマイルストーンはすでに存在します。' },
  'spinoff.milestone_not_found': { en: 'There is no such milestone in this project.', ja: 'この企画に該当するマイルストーンがありません。' },
  'spinoff.milestone_already_reached': { en: 'This milestone is already reached.', ja: 'このマイルストーンはすでに達成済みです。' },
  'spinoff.exit_strategy_required': {
    en: 'Choose an exit strategy before completing the project.',
    ja: '企画を完了する前に、出口戦略（今後の方向性）を選んでください。',
  },
  'request.too_deeply_nested': { en: 'The request body is nested more than {max} levels deep.', ja: 'リクエスト本文の入れ子が深すぎます（最大{max}段）。' },
  'http.414': { en: 'The address (URL) is too long.', ja: 'URLが長すぎます。' },
  'sdc.not_found': { en: 'There is no such SDC.', ja: '該当するSDCがありません。' },
  'sdc.already_member': { en: 'This coordinator already belongs to the SDC.', ja: 'このコーディネーターはすでにSDCに所属しています。' },
  'sdc.not_member': { en: 'This coordinator does not belong to the SDC.', ja: 'このコーディネーターはSDCに所属していません。' },
  'sdc.already_established': { en: 'This SDC already exists.', ja: 'このSDCはすでに存在します。' },
  'inbox.not_found': { en: 'There is no such notification in your inbox.', ja: '受信箱に該当するお知らせがありません。' },
  'webhook.url_refused': { en: 'This webhook address is refused ({reason}): use a public https address.', ja: 'このWebhookのURLは使用できません（{reason}）。公開されたhttpsのURLを指定してください。' },
  'webhook.url_unresolvable': { en: 'The webhook host name could not be resolved.', ja: 'WebhookのホストをDNSで解決できませんでした。' },
  'webhook.not_found': { en: 'There is no such webhook endpoint.', ja: '該当するWebhookがありません。' },
  'webhook.already_registered': { en: 'This webhook endpoint already exists.', ja: 'このWebhookはすでに登録されています。' },
  'webhook.disabled': { en: 'This webhook endpoint is disabled.', ja: 'このWebhookは無効化されています。' },
  'webhook.description_too_long': { en: 'The description is too long.', ja: '説明が長すぎます。' },
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
