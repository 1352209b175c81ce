import type { DeclineReason } from '@tsunagi/matching';
import type { MeetingFormat } from '@tsunagi/meetings';
import type { MessageLanguage } from '@tsunagi/participants';
import type { MessageFacts } from './message-facts';
import { ABOUT_OF_KIND } from './message-facts';
import type { NotificationKind } from './notification.events';

/**
 * The messages, in Japanese and English, one title and body per kind. A message names the opportunity, meeting
 * or spin-off it is about and never another person: inbox bodies are stored in events, and e-mail travels.
 */

export interface RenderedMessage {
  /** The e-mail subject and the inbox title. */
  title: string;
  body: string;
}

type Opportunity = Extract<MessageFacts, { about: 'opportunity' }>;
type Meeting = Extract<MessageFacts, { about: 'meeting' }>;
type SpinOff = Extract<MessageFacts, { about: 'spinoff' }>;

type Template<F> = (facts: F, language: MessageLanguage) => RenderedMessage;

const DECLINE_REASONS: Record<MessageLanguage, Record<DeclineReason, string>> = {
  ja: { no_time: '時間の都合がつかない', not_my_skills: 'スキルが合わない', too_far: '場所が遠い', other: 'その他' },
  en: { no_time: 'no time', not_my_skills: 'the skills do not fit', too_far: 'too far away', other: 'other' },
};

const FOOTER: Record<MessageLanguage, string> = {
  ja: '※このメッセージは tsunagi（つなぎ）から自動でお送りしています。',
  en: 'This message was sent automatically by tsunagi.',
};

const TIME_ZONE = 'Asia/Tokyo';
const PARTS = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
};
const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** Built from parts, so that the wording does not depend on the ICU version's punctuation. */
function formatDate(at: Date, language: MessageLanguage): string {
  const part = Object.fromEntries(PARTS[language].formatToParts(at).map((p) => [p.type, p.value]));
  return language === 'ja' ? `${part.year}年${part.month}月${part.day}日(${part.weekday})` : `${part.weekday}, ${part.day} ${part.month} ${part.year}`;
}

/** A meeting's time in Asia/Tokyo: "2026年5月10日(日) 10:00〜12:00" / "Sun, 10 May 2026, 10:00–12:00 (Japan time)". */
export function formatMeetingTime(startsAt: string, endsAt: string | undefined, language: MessageLanguage): string {
  const start = new Date(startsAt);
  const end = endsAt ? new Date(endsAt) : undefined;
  const separator = language === 'ja' ? ' ' : ', ';
  const date = formatDate(start, language);
  const from = `${date}${separator}${TIME_FORMAT.format(start)}`;
  const until = !end ? '' : formatDate(end, language) === date ? TIME_FORMAT.format(end) : `${formatDate(end, language)}${separator}${TIME_FORMAT.format(end)}`;
  if (language === 'ja') return `${from}${until ? `〜${until}` : ''}`;
  return `${from}${until ? `–${until}` : ''} (Japan time)`;
}

function formatPlace(format: MeetingFormat, language: MessageLanguage): string {
  const online = language === 'ja' ? 'オンライン' : 'Online';
  switch (format.mode) {
    case 'in_person':
      return format.venue;
    case 'online':
      return `${online} (${format.url})`;
    case 'hybrid':
      return `${format.venue} / ${online} (${format.url})`;
  }
}

const hours = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, ''));

function meetingLines(facts: Meeting, language: MessageLanguage): string[] {
  const ja = language === 'ja';
  return [
    ...(facts.startsAt ? [`${ja ? '日時' : 'When'}: ${formatMeetingTime(facts.startsAt, facts.endsAt, language)}`] : []),
    ...(facts.format ? [`${ja ? '場所' : 'Where'}: ${formatPlace(facts.format, language)}`] : []),
  ];
}

function message(title: string, lines: string[], language: MessageLanguage): RenderedMessage {
  return { title, body: [...lines, '', FOOTER[language]].join('\n') };
}

const opportunity: Record<Extract<NotificationKind, `match_${string}`>, Template<Opportunity>> = {
  match_proposed: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`「${t}」へのマッチングのご提案`, [`「${t}」について、あなたへのマッチングが提案されました。`, '内容をご確認のうえ、お受けになるかどうかをお知らせください。'], l)
      : message(`You have been proposed for "${t}"`, [`A coordinator has proposed you for "${t}".`, 'Please look at it and let us know whether you accept.'], l),
  match_reminder: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`【リマインド】「${t}」へのマッチングのご提案`, [`「${t}」について、あなたへのマッチングのご提案がまだ回答待ちです。`, 'お受けになるかどうかをお知らせください。回答がないまま期限を過ぎると、提案は取り消されます。'], l)
      : message(`Reminder: you have been proposed for "${t}"`, [`The proposal for "${t}" is still waiting for your answer.`, 'Please let us know whether you accept; without an answer the proposal expires.'], l),
  match_accepted: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`「${t}」のマッチングが承諾されました`, [`「${t}」について提案されたマッチングが承諾されました。`], l)
      : message(`Match accepted: "${t}"`, [`The match proposed for "${t}" has been accepted.`], l),
  match_declined: ({ opportunityTitle: t, declineReason }, l) =>
    l === 'ja'
      ? message(`「${t}」のマッチングが辞退されました`, [`「${t}」について提案されたマッチングは辞退されました。`, ...(declineReason ? [`理由: ${DECLINE_REASONS.ja[declineReason]}`] : [])], l)
      : message(`Match declined: "${t}"`, [`The match proposed for "${t}" has been declined.`, ...(declineReason ? [`Reason: ${DECLINE_REASONS.en[declineReason]}`] : [])], l),
  match_withdrawn: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`「${t}」のマッチングが取り下げられました`, [`「${t}」のマッチングは取り下げられました。`], l)
      : message(`Match withdrawn: "${t}"`, [`The match for "${t}" has been withdrawn.`], l),
  match_expired: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`「${t}」のマッチングの期限が切れました`, [`「${t}」について提案されたマッチングは、回答がないまま期限が切れました。`], l)
      : message(`Match expired: "${t}"`, [`The match proposed for "${t}" expired without an answer.`], l),
  match_confirmed: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`「${t}」への参加が確定しました`, [`「${t}」への参加が確定しました。よろしくお願いします。`], l)
      : message(`You are confirmed for "${t}"`, [`Your place in "${t}" is confirmed. Thank you for joining.`], l),
  match_started: ({ opportunityTitle: t }, l) =>
    l === 'ja'
      ? message(`「${t}」の活動が始まりました`, [`「${t}」の活動が始まりました。活動した時間は記録をお願いします。`], l)
      : message(`"${t}" has started`, [`Your work on "${t}" has started. Please log the hours you give.`], l),
  match_completed: ({ opportunityTitle: t, hoursLogged = 0 }, l) =>
    l === 'ja'
      ? message(`「${t}」へのご協力ありがとうございました`, [`「${t}」の活動が完了しました。ご協力ありがとうございました。`, `記録された活動時間: 合計 ${hours(hoursLogged)} 時間`], l)
      : message(`Thank you for "${t}"`, [`Your work on "${t}" is complete. Thank you for your help.`, `Hours logged: ${hours(hoursLogged)} in total`], l),
};

const meeting: Record<Extract<NotificationKind, `meeting_${string}`> | 'waitlist_promoted', Template<Meeting>> = {
  meeting_scheduled: (f, l) =>
    l === 'ja'
      ? message(`「${f.meetingTitle}」の開催が決まりました`, [`ご提案の「${f.meetingTitle}」の開催が決まりました。`, ...meetingLines(f, l)], l)
      : message(`"${f.meetingTitle}" is scheduled`, [`The meeting you proposed, "${f.meetingTitle}", has been scheduled.`, ...meetingLines(f, l)], l),
  meeting_announced: (f, l) =>
    l === 'ja'
      ? message(`新しい会議「${f.meetingTitle}」のお知らせ`, [`フォロー中のSDCまたはテーマで、「${f.meetingTitle}」の開催が決まりました。`, ...meetingLines(f, l)], l)
      : message(`New meeting: "${f.meetingTitle}"`, [`A meeting at an SDC or on a theme you follow, "${f.meetingTitle}", has been scheduled.`, ...meetingLines(f, l)], l),
  meeting_reminder: (f, l) =>
    l === 'ja'
      ? message(`【明日】「${f.meetingTitle}」のご案内`, [`お申し込みの「${f.meetingTitle}」の開催が近づいています。`, ...meetingLines(f, l)], l)
      : message(`Reminder: "${f.meetingTitle}" is coming up`, [`"${f.meetingTitle}", which you registered for, is coming up soon.`, ...meetingLines(f, l)], l),
  meeting_rescheduled: (f, l) =>
    l === 'ja'
      ? message(`「${f.meetingTitle}」の日程が変更になりました`, [`お申し込みの「${f.meetingTitle}」の日程が変更になりました。`, ...meetingLines(f, l), ...(f.reason ? [`理由: ${f.reason}`] : [])], l)
      : message(`"${f.meetingTitle}" has been rescheduled`, [`"${f.meetingTitle}", which you registered for, has a new time.`, ...meetingLines(f, l), ...(f.reason ? [`Reason: ${f.reason}`] : [])], l),
  meeting_cancelled: (f, l) =>
    l === 'ja'
      ? message(`「${f.meetingTitle}」は中止になりました`, [`お申し込みの「${f.meetingTitle}」は中止になりました。`, ...(f.reason ? [`理由: ${f.reason}`] : [])], l)
      : message(`"${f.meetingTitle}" is cancelled`, [`"${f.meetingTitle}", which you registered for, has been cancelled.`, ...(f.reason ? [`Reason: ${f.reason}`] : [])], l),
  waitlist_promoted: (f, l) =>
    l === 'ja'
      ? message(`「${f.meetingTitle}」に参加できるようになりました`, [`キャンセル待ちをしていた「${f.meetingTitle}」に空きが出たため、参加が確定しました。`, ...meetingLines(f, l)], l)
      : message(`You have a place at "${f.meetingTitle}"`, [`A place came free at "${f.meetingTitle}": you are no longer on the waiting list and are registered.`, ...meetingLines(f, l)], l),
};

const spinoff: Record<Extract<NotificationKind, `spinoff_${string}`>, Template<SpinOff>> = {
  spinoff_role_invitation: ({ spinOffTitle: t, roleTitle: r = '' }, l) =>
    l === 'ja'
      ? message(
          `スピンオフ企画「${t}」の「${r}」にご参加いただけませんか`,
          [`コーディネーターから、スピンオフ企画「${t}」の役割「${r}」へのお誘いが届きました。`, 'あなたの経験や関心に合いそうな役割としてご案内しています。', '詳しい内容は tsunagi でご覧いただけます。ご興味があれば、お気軽にお知らせください。'],
          l,
        )
      : message(
          `Would you join "${t}" as "${r}"?`,
          [`A coordinator invites you to the role "${r}" in the spin-off project "${t}".`, 'It looks like a good fit for your skills and interests.', 'You can read more on tsunagi; if you are interested, just let us know.'],
          l,
        ),
  spinoff_announced: ({ spinOffTitle: t }, l) =>
    l === 'ja'
      ? message(`新しいスピンオフ企画「${t}」が始動しました`, [`フォロー中のSDCの地域で、スピンオフ企画「${t}」が始動しました。`, '参加できる役割の募集があれば、tsunagi でご覧いただけます。'], l)
      : message(`New spin-off: "${t}"`, [`A spin-off project in the area of an SDC you follow, "${t}", has launched.`, 'Any roles it opens can be found on tsunagi.'], l),
  spinoff_launched: ({ spinOffTitle: t }, l) =>
    l === 'ja'
      ? message(`スピンオフ企画「${t}」が始動しました`, [`あなたが立ち上げたスピンオフ企画「${t}」が始動しました。`, '役割の募集やマイルストーンの設定ができるようになりました。'], l)
      : message(`Your spin-off "${t}" has launched`, [`The spin-off project you started, "${t}", has launched.`, 'You can now open roles and set milestones.'], l),
};

/** The title and body of one notification in one language; the facts must be about what the kind is about. */
export function renderNotification(kind: NotificationKind, language: MessageLanguage, facts: MessageFacts): RenderedMessage {
  if (ABOUT_OF_KIND[kind] !== facts.about) throw new Error(`A ${kind} message needs facts about ${ABOUT_OF_KIND[kind]}, got ${facts.about}`);
  switch (facts.about) {
    case 'opportunity':
      return opportunity[kind as keyof typeof opportunity](facts, language);
    case 'meeting':
      return meeting[kind as keyof typeof meeting](facts, language);
    case 'spinoff':
      return spinoff[kind as keyof typeof spinoff](facts, language);
  }
}
