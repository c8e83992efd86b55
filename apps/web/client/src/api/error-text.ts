import type { Language } from '../i18n/i18n';
import type { Messages } from '../i18n/messages';
import { ApiError } from './api-client';

/**
 * Refusals a user meets while booking and paying, in words. Codes not listed fall back to the
 * service's own message (English) in English, and to a general sentence in Chinese.
 */
const CODE_TEXT: Record<string, { zh: string; en: string }> = {
  SLOT_TAKEN: { zh: '这个时段已被预约。', en: 'This time is already taken.' },
  OUTSIDE_OPENING_HOURS: { zh: '不在仪器的开放时间内。', en: 'Outside the instrument’s opening hours.' },
  TOO_SOON: { zh: '距开始时间太近，需要更早预约。', en: 'Too soon: this instrument needs more notice.' },
  TOO_FAR_AHEAD: { zh: '超出可提前预约的天数。', en: 'Too far ahead for this instrument.' },
  TOO_SHORT: { zh: '时长短于最短预约时长。', en: 'Shorter than the shortest booking allowed.' },
  TOO_LONG: { zh: '时长超过最长预约时长。', en: 'Longer than the longest booking allowed.' },
  NOT_ALIGNED: { zh: '开始时间或时长不符合时段划分。', en: 'Start or duration is off the slot grid.' },
  QUALIFICATION_REQUIRED: { zh: '自主上机需要该仪器的培训资格，请改选送样检测或联系实验室。', en: 'Operating it yourself needs training; choose sample submission or ask the lab.' },
  MODE_NOT_OFFERED: { zh: '该仪器不提供这种服务方式。', en: 'This instrument does not offer this service mode.' },
  BOOKING_SUSPENDED: { zh: '您的自助预约已被暂停。', en: 'Your self-service booking is suspended.' },
  DAILY_LIMIT_EXCEEDED: { zh: '超过每人每天的预约上限。', en: 'Over the daily limit per user.' },
  WEEKLY_LIMIT_EXCEEDED: { zh: '超过每人每周的预约上限。', en: 'Over the weekly limit per user.' },
  VOUCHER_BALANCE_INSUFFICIENT: { zh: '创新券余额不足。', en: 'Not enough voucher balance.' },
  VOUCHER_ORDER_SHARE_EXCEEDED: { zh: '超过本订单可用创新券的比例上限。', en: 'More than vouchers may pay of this order.' },
  VOUCHER_INDIVIDUALS_NOT_ELIGIBLE: { zh: '该创新券项目只面向企业，不接受个人申请。', en: 'This voucher program is for firms only, not for individuals.' },
  VOUCHER_INDIVIDUAL_OUTSIDE_REGION: { zh: '您所在单位不在该项目的发放地区内。', en: 'Your institution is outside the program’s issuing region.' },
  VOUCHER_OWN_PROVIDER: { zh: '创新券只能用于购买其他单位的服务，不能用于本单位。', en: 'Vouchers pay for services of other institutions, not of your own.' },
  VOUCHER_PROVIDER_REGION_NOT_ACCEPTED: { zh: '该创新券不接受此地区的服务机构。', en: 'This voucher does not accept providers in this region.' },
  VOUCHER_NOT_APPLICABLE: { zh: '您的创新券不能用于这次预约。', en: 'None of your vouchers can pay for this booking.' },
  INVALID_BOOKING_TRANSITION: { zh: '预约当前状态不允许此操作。', en: 'Not possible in the booking’s current state.' },
  BOOKING_ALREADY_STARTED: { zh: '预约已开始，不能取消或改期。', en: 'The booking has started.' },
  // Instrument page (booking and the voucher options of the live quote)
  HOLD_NOT_USABLE: { zh: '保留的时段已失效，请重新选择时段。', en: 'The held time is no longer usable; choose the time again.' },
  IDEMPOTENCY_KEY_REUSED: { zh: '这次提交与上一次不一致，请重新提交。', en: 'This request differs from the one sent before; please send it again.' },
  ROLE_CANNOT_BOOK: { zh: '您的账号类型不能预约仪器。', en: 'Your kind of account cannot book instruments.' },
  VOUCHER_MODE_NOT_ELIGIBLE: { zh: '该创新券不资助这种服务方式。', en: 'This voucher does not fund this service mode.' },
  VOUCHER_CATEGORY_NOT_ELIGIBLE: { zh: '该创新券不资助这类仪器。', en: 'This voucher does not fund this kind of instrument.' },
  VOUCHER_GRANT_EXPIRED: { zh: '该创新券在预约开始前到期。', en: 'This voucher expires before the booking starts.' },
  VOUCHER_NOT_YET_VALID: { zh: '预约开始时该创新券尚未生效。', en: 'This voucher is not valid yet when the booking starts.' },
  // My bookings and the lab console
  TOO_EARLY_TO_CHECK_IN: { zh: '还不能签到：签到在开始前不久才开放。', en: 'Too early: check-in opens shortly before the start.' },
  NO_SHOW_TOO_EARLY: { zh: '还不能记为未到场：需等开始后的宽限时间过去。', en: 'Too early: a no-show can be recorded once the grace period after the start has passed.' },
  REQUEST_EXPIRED: { zh: '这个申请已超过审批期限，已自动失效。', en: 'This request was not decided in time and has expired.' },
  REASON_REQUIRED: { zh: '请填写原因。', en: 'Please give a reason.' },
  ALREADY_RATED: { zh: '这次预约已经评价过了。', en: 'You have already rated this booking.' },
  VERSION_CONFLICT: { zh: '资料已被其他人修改，请重新加载后再改。', en: 'Someone else changed this record; reload it and edit again.' },
  MAINTENANCE_CLASHES_WITH_BOOKINGS: { zh: '这段时间有预约，不能安排维护。', en: 'Bookings fall in this time, so maintenance cannot be scheduled.' },
  MAINTENANCE_OVERLAPS_MAINTENANCE: { zh: '与已有的维护时间重叠。', en: 'It overlaps maintenance already scheduled.' },
  VOUCHER_NOTHING_TO_CLAIM: { zh: '这段时间内没有可申请兑付的创新券收款。', en: 'Nothing unclaimed in this period.' },
  // Applying for vouchers (My bookings) and deciding applications (the dashboard)
  VOUCHER_APPLICATION_CAP_EXCEEDED: { zh: '申请金额超过该项目单次申请的上限。', en: 'More than one application to this program may ask for.' },
  VOUCHER_FIRM_YEAR_CAP_EXCEEDED: { zh: '超过该项目每年可发放给同一企业（或个人）的上限。', en: 'More than this program grants one firm (or person) in a year.' },
  VOUCHER_FIRM_NOT_ELIGIBLE: { zh: '创新券面向发放地区内注册的小微企业，您的单位不符合条件。', en: 'Vouchers are for small and micro firms registered in the issuing region; yours does not qualify.' },
  VOUCHER_PROGRAM_NOT_OPEN: { zh: '该创新券项目目前不受理申请（未开始、已停止受理或已到期）。', en: 'This voucher program is not taking applications (not started, closed or expired).' },
  VOUCHER_PROGRAM_BUDGET_EXCEEDED: { zh: '该项目剩余预算不足以批准这个金额。', en: 'The program’s remaining budget does not cover this amount.' },
  VOUCHER_PROGRAM_OUTSIDE_REGION: { zh: '这项操作只能由项目发放地区的科技部门办理。', en: 'Only staff of the program’s issuing region may do this.' },
  VOUCHER_INVALID_TRANSITION: { zh: '当前状态不允许此操作（可能已有人处理），请刷新后查看。', en: 'Not possible in its current state (someone may have dealt with it); reload to see.' },
  USER_NOT_FOUND: { zh: '找不到这个用户。', en: 'No such user.' },
  NOT_INSTRUMENT_MANAGER: { zh: '您不是这台仪器的管理员。', en: 'You do not manage this instrument.' },
};

export function errorText(error: unknown, t: Messages, language: Language): string {
  if (!(error instanceof ApiError)) return t.errors.unknown;
  const known = CODE_TEXT[error.code];
  if (known) return known[language];
  if (error.code === 'NETWORK') return t.errors.network;
  if (error.fieldProblems.length > 0) {
    return `${t.errors.validation} ${error.fieldProblems.map((problem) => `${problem.field}: ${problem.messages.join('; ')}`).join(' · ')}`;
  }
  switch (error.status) {
    case 401:
      return t.errors.unauthenticated;
    case 403:
      return language === 'en' ? error.message : t.errors.forbidden;
    case 404:
      return t.errors.notFound;
    case 429:
      return t.errors.rateLimited;
    default:
      if (error.status >= 500) return t.errors.server;
      return language === 'en' ? error.message : `${t.errors.unknown}（${error.message}）`;
  }
}
