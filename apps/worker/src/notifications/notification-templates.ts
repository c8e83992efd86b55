import { DateTime } from 'luxon';
import type { Language } from '@app/db';

/** Every kind of notification, with who receives it. */
export const NOTIFICATION_KINDS = [
  // to the booker
  'reminder',
  'booking_approved',
  'booking_rejected',
  'booking_rescheduled',
  'booking_cancelled',
  'hold_lapsed',
  'booking_no_show',
  'request_expired',
  'suspension_started',
  'waitlist_offer',
  // to the lab managers of the owner institution
  'approval_requested',
  'approval_overdue',
  'booking_cancelled_by_user',
  // to the applicant for innovation vouchers
  'voucher_grant_approved',
  'voucher_grant_rejected',
  // to the lab managers of the provider that claimed redemption
  'voucher_claim_approved',
  'voucher_claim_rejected',
  'voucher_claim_paid',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a voucher notice says: the decision's facts, kept with the notice when it is planned. */
export interface VoucherNoticeFacts {
  programName: string;
  amountFen: number | null;
  expiresAt: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  paymentReference: string | null;
}

/** What a message says, read when it is sent (so a reschedule shows the new time). */
export interface NotificationFacts {
  kind: NotificationKind;
  language: Language;
  recipientName: string;
  instrumentNameZh: string | null;
  instrumentNameEn: string | null;
  timeZone: string | null;
  start: Date | null;
  end: Date | null;
  bookerName: string | null;
  reason: string | null;
  cancellationFeeFen: number | null;
  offsetMinutes: number | null;
  waitedHours: number | null;
  suspendedUntil: Date | null;
  holdExpiresAt: Date | null;
  voucher: VoucherNoticeFacts | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
}

/** Local wall-clock time in the instrument's zone, with the zone named: the user books in that zone. */
function localTime(instant: Date | null, zone: string | null): string {
  if (!instant) return '';
  const local = DateTime.fromJSDate(instant, { zone: zone ?? 'Asia/Shanghai' });
  return `${local.toFormat('yyyy-MM-dd HH:mm')} (${local.zoneName})`;
}

/** The end as HH:mm, with its date when it falls on another local day than the start. */
function endTime(start: Date | null, end: Date | null, zone: string | null): string {
  if (!end) return '';
  const localEnd = DateTime.fromJSDate(end, { zone: zone ?? 'Asia/Shanghai' });
  const sameDay = start !== null && DateTime.fromJSDate(start, { zone: zone ?? 'Asia/Shanghai' }).hasSame(localEnd, 'day');
  return localEnd.toFormat(sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm');
}

/** The last day a grant may be used: it expires at the start of the next day, China Standard Time. */
function lastValidDay(expiresAt: string | null): string {
  if (!expiresAt) return '';
  return DateTime.fromISO(expiresAt, { zone: 'Asia/Shanghai' }).minus({ milliseconds: 1 }).toFormat('yyyy-MM-dd');
}

function money(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

function span(minutes: number, language: Language): string {
  if (minutes % 1440 === 0) return language === 'zh' ? `${minutes / 1440} 天` : `${minutes / 1440} day${minutes === 1440 ? '' : 's'}`;
  if (minutes % 60 === 0) return language === 'zh' ? `${minutes / 60} 小时` : `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return language === 'zh' ? `${minutes} 分钟` : `${minutes} minutes`;
}

/** Subject and plain text of a notification in the recipient's language, times in the instrument's zone. */
export function renderNotification(facts: NotificationFacts): RenderedMessage {
  const zh = facts.language === 'zh';
  const instrument = (zh ? facts.instrumentNameZh : facts.instrumentNameEn ?? facts.instrumentNameZh) ?? '';
  const when = `${localTime(facts.start, facts.timeZone)} – ${endTime(facts.start, facts.end, facts.timeZone)}`;
  const reason = facts.reason ? (zh ? `\n原因：${facts.reason}` : `\nReason: ${facts.reason}`) : '';
  const greeting = zh ? `${facts.recipientName}，您好：\n\n` : `Dear ${facts.recipientName},\n\n`;
  const voucher: VoucherNoticeFacts = facts.voucher ?? { programName: '', amountFen: null, expiresAt: null, periodFrom: null, periodTo: null, paymentReference: null };
  const claimPeriod = `${voucher.periodFrom ?? ''} – ${voucher.periodTo ?? ''}`;
  const claimAmount = money(voucher.amountFen ?? 0);
  const [subject, body] = ((): [string, string] => {
    switch (facts.kind) {
      case 'reminder':
        return zh
          ? [`预约提醒：${instrument} ${span(facts.offsetMinutes ?? 0, 'zh')}后开始`, `您预约的「${instrument}」将于 ${when} 开始。`]
          : [`Reminder: ${instrument} in ${span(facts.offsetMinutes ?? 0, 'en')}`, `Your booking of "${instrument}" starts at ${when}.`];
      case 'booking_approved':
        return zh ? [`预约已批准：${instrument}`, `您对「${instrument}」的预约（${when}）已获批准。${reason}`] : [`Booking approved: ${instrument}`, `Your booking of "${instrument}" (${when}) has been approved.${reason}`];
      case 'booking_rejected':
        return zh ? [`预约未获批准：${instrument}`, `您对「${instrument}」的预约申请（${when}）未获批准。${reason}`] : [`Booking request rejected: ${instrument}`, `Your request for "${instrument}" (${when}) was rejected.${reason}`];
      case 'booking_rescheduled':
        return zh ? [`预约时间已变更：${instrument}`, `您对「${instrument}」的预约已改为 ${when}。`] : [`Booking moved: ${instrument}`, `Your booking of "${instrument}" now runs ${when}.`];
      case 'booking_cancelled': {
        const fee = facts.cancellationFeeFen ? (zh ? `\n取消费：${money(facts.cancellationFeeFen)}` : `\nCancellation fee: ${money(facts.cancellationFeeFen)}`) : '';
        return zh ? [`预约已取消：${instrument}`, `您对「${instrument}」的预约（${when}）已取消。${reason}${fee}`] : [`Booking cancelled: ${instrument}`, `Your booking of "${instrument}" (${when}) has been cancelled.${reason}${fee}`];
      }
      case 'hold_lapsed':
        return zh ? [`预留已失效：${instrument}`, `您为「${instrument}」预留的时段（${when}）未在时限内提交申请，已释放。`] : [`Hold lapsed: ${instrument}`, `The slot you held on "${instrument}" (${when}) was not requested in time and has been released.`];
      case 'booking_no_show':
        return zh ? [`记录爽约：${instrument}`, `您未按时使用「${instrument}」的预约（${when}），已记为爽约。多次爽约将暂停自助预约。`] : [`No-show recorded: ${instrument}`, `You did not arrive for your booking of "${instrument}" (${when}); it was recorded as a no-show. Repeated no-shows suspend self-service booking.`];
      case 'request_expired':
        return zh ? [`预约申请已过期：${instrument}`, `您对「${instrument}」的预约申请（${when}）在开始前未获审批，已过期。`] : [`Request expired: ${instrument}`, `Your request for "${instrument}" (${when}) was not decided before its start and has expired.`];
      case 'suspension_started':
        return zh
          ? ['自助预约已暂停', `由于多次爽约，您的自助预约已暂停至 ${localTime(facts.suspendedUntil, 'Asia/Shanghai')}。${reason}`]
          : ['Self-service booking suspended', `After repeated no-shows your self-service booking is suspended until ${localTime(facts.suspendedUntil, 'Asia/Shanghai')}.${reason}`];
      case 'waitlist_offer':
        return zh
          ? [`候补成功：${instrument} 有空闲时段`, `您候补的「${instrument}」有时段空出，已为您保留 ${when}，保留至 ${localTime(facts.holdExpiresAt, facts.timeZone)}。请在此之前提交预约，逾期将顺延给下一位候补用户。`]
          : [`Waitlist: time freed on ${instrument}`, `Time freed up on "${instrument}": ${when} is held for you until ${localTime(facts.holdExpiresAt, facts.timeZone)}. Submit your booking before then, or it passes to the next in line.`];
      case 'approval_requested':
        return zh ? [`新的预约申请待审批：${instrument}`, `${facts.bookerName} 申请预约「${instrument}」（${when}），请审批。`] : [`New request awaiting approval: ${instrument}`, `${facts.bookerName} requests "${instrument}" (${when}). Please decide.`];
      case 'approval_overdue':
        return zh
          ? [`预约申请已等待 ${facts.waitedHours} 小时：${instrument}`, `${facts.bookerName} 对「${instrument}」的预约申请（${when}）已等待 ${facts.waitedHours} 小时，仍未审批。`]
          : [`Request waiting ${facts.waitedHours} hours: ${instrument}`, `${facts.bookerName}'s request for "${instrument}" (${when}) has waited ${facts.waitedHours} hours for a decision.`];
      case 'voucher_grant_approved': {
        const amount = money(voucher.amountFen ?? 0);
        const until = lastValidDay(voucher.expiresAt);
        return zh
          ? [`创新券申请已批准：${voucher.programName}`, `您在「${voucher.programName}」下的创新券申请已获批准，额度 ${amount}，有效期至 ${until}，逾期未用部分作废。${reason}`]
          : [`Innovation voucher approved: ${voucher.programName}`, `Your application under "${voucher.programName}" was approved: ${amount}, valid until ${until}; what is unused then expires.${reason}`];
      }
      case 'voucher_grant_rejected':
        return zh
          ? [`创新券申请未获批准：${voucher.programName}`, `您在「${voucher.programName}」下的创新券申请未获批准。${reason}`]
          : [`Innovation voucher application rejected: ${voucher.programName}`, `Your application under "${voucher.programName}" was rejected.${reason}`];
      case 'voucher_claim_approved':
        return zh
          ? [`创新券兑付申请已审核通过：${voucher.programName}`, `贵单位 ${claimPeriod} 的「${voucher.programName}」兑付申请（${claimAmount}）已审核通过，等待拨付。${reason}`]
          : [`Redemption claim approved: ${voucher.programName}`, `Your institution's claim under "${voucher.programName}" for ${claimPeriod} (${claimAmount}) was approved and awaits payment.${reason}`];
      case 'voucher_claim_rejected':
        return zh
          ? [`创新券兑付申请被退回：${voucher.programName}`, `贵单位 ${claimPeriod} 的「${voucher.programName}」兑付申请（${claimAmount}）被退回，相关服务记录可重新申请兑付。${reason}`]
          : [`Redemption claim rejected: ${voucher.programName}`, `Your institution's claim under "${voucher.programName}" for ${claimPeriod} (${claimAmount}) was rejected; its service records may be claimed again.${reason}`];
      case 'voucher_claim_paid': {
        const reference = voucher.paymentReference ? (zh ? `\n付款凭证号：${voucher.paymentReference}` : `\nPayment reference: ${voucher.paymentReference}`) : '';
        return zh
          ? [`创新券兑付款已拨付：${voucher.programName}`, `贵单位 ${claimPeriod} 的「${voucher.programName}」兑付款 ${claimAmount} 已拨付。${reference}`]
          : [`Redemption claim paid: ${voucher.programName}`, `Your institution's claim under "${voucher.programName}" for ${claimPeriod} (${claimAmount}) has been paid.${reference}`];
      }
      case 'booking_cancelled_by_user':
        return zh ? [`用户取消预约：${instrument}`, `${facts.bookerName} 取消了「${instrument}」的预约（${when}）。${reason}`] : [`Booking cancelled by the user: ${instrument}`, `${facts.bookerName} cancelled the booking of "${instrument}" (${when}).${reason}`];
    }
  })();
  const footer = zh ? '\n\n—— 大型科研仪器开放共享平台' : '\n\n— Instrument Marketplace';
  return { subject: (zh ? '[仪器共享] ' : '[Instruments] ') + subject, text: greeting + body + footer };
}
