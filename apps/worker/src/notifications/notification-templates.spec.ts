import { NotificationFacts, renderNotification } from './notification-templates';

const base: NotificationFacts = {
  kind: 'reminder',
  language: 'zh',
  recipientName: '张三',
  instrumentNameZh: '扫描电子显微镜',
  instrumentNameEn: 'Scanning electron microscope',
  timeZone: 'Asia/Shanghai',
  start: new Date('2026-12-01T01:00:00Z'),
  end: new Date('2026-12-01T03:00:00Z'),
  bookerName: null,
  reason: null,
  cancellationFeeFen: null,
  offsetMinutes: 60,
  waitedHours: null,
  suspendedUntil: null,
  holdExpiresAt: null,
  voucher: null,
};

describe('renderNotification', () => {
  it('writes times on the instrument clock, in the user language', () => {
    const zh = renderNotification(base);
    expect(zh.subject).toBe('[仪器共享] 预约提醒：扫描电子显微镜 1 小时后开始');
    expect(zh.text).toContain('2026-12-01 09:00 (Asia/Shanghai) – 11:00');
    const en = renderNotification({ ...base, language: 'en', offsetMinutes: 1440 });
    expect(en.subject).toBe('[Instruments] Reminder: Scanning electron microscope in 1 day');
    expect(en.text).toContain('Dear 张三');
  });

  it('dates the end when a booking runs past local midnight, and across a DST change keeps local time', () => {
    const overnight = renderNotification({ ...base, start: new Date('2026-12-01T14:00:00Z'), end: new Date('2026-12-01T17:00:00Z') });
    expect(overnight.text).toContain('2026-12-01 22:00 (Asia/Shanghai) – 2026-12-02 01:00');
    const berlin = renderNotification({ ...base, timeZone: 'Europe/Berlin', start: new Date('2026-03-29T00:30:00Z'), end: new Date('2026-03-29T01:30:00Z') });
    // 01:30 CET, then 03:30 CEST: the clocks jumped an hour in between.
    expect(berlin.text).toContain('2026-03-29 01:30 (Europe/Berlin) – 03:30');
  });

  it('adds the reason and the fee of a cancellation', () => {
    const cancelled = renderNotification({ ...base, kind: 'booking_cancelled', reason: '设备故障', cancellationFeeFen: 12_345 });
    expect(cancelled.text).toContain('原因：设备故障');
    expect(cancelled.text).toContain('取消费：¥123.45');
  });

  it('tells the applicant the approved amount and the last valid day, and a provider the claim and the payment reference', () => {
    const voucher = { programName: '杭州市科技创新券', amountFen: 2_000_000, expiresAt: '2026-12-31T16:00:00.000Z', periodFrom: null, periodTo: null, paymentReference: null };
    const approved = renderNotification({ ...base, kind: 'voucher_grant_approved', voucher });
    expect(approved.subject).toBe('[仪器共享] 创新券申请已批准：杭州市科技创新券');
    expect(approved.text).toContain('额度 ¥20000.00，有效期至 2026-12-31');
    const rejected = renderNotification({ ...base, kind: 'voucher_grant_rejected', language: 'en', reason: 'Not a small firm', voucher: { ...voucher, amountFen: null, expiresAt: null } });
    expect(rejected.text).toContain('was rejected.\nReason: Not a small firm');
    const paid = renderNotification({
      ...base,
      kind: 'voucher_claim_paid',
      voucher: { ...voucher, amountFen: 123_456, expiresAt: null, periodFrom: '2026-11-01', periodTo: '2026-11-30', paymentReference: 'ZJ-2026-000123' },
    });
    expect(paid.text).toContain('2026-11-01 – 2026-11-30');
    expect(paid.text).toContain('兑付款 ¥1234.56 已拨付');
    expect(paid.text).toContain('付款凭证号：ZJ-2026-000123');
  });
});
