import { useId, useMemo, useState } from 'react';
import type { InputHTMLAttributes } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan, localDate, parseYuanToFen } from '../../shared/format';
import { ChartCanvas } from './chart-canvas';
import type { ChartSeries } from './chart-canvas';
import { CsvDownload } from './csv-download';
import { useDashboard } from './dashboard-context';
import { formatNumber, lastTwelveMonths, periodQuery, today } from './dashboard-format';
import { dashboardTexts } from './dashboard-texts';
import type { RedemptionClaim, Region, VoucherApplication, VoucherFigures, VoucherProgram, VoucherStatistics } from './dashboard-types';
import { Choice, DataTable, GoalCard, Loaded, percentOf } from './shared-parts';
import { useApiData } from './use-api-data';

const GROUPS = ['program', 'region', 'firm', 'provider'] as const;

/** Voucher figures against the target, the region's programs, the applications to decide, and the providers' claims to approve and pay. */
export function VouchersPanel() {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const { token } = useSession();
  const { version } = useDashboard();
  const year = Number(today().slice(0, 4));
  const [period, setPeriod] = useState(String(year));
  const [groupBy, setGroupBy] = useState<(typeof GROUPS)[number]>('program');
  const query = { groupBy, ...periodQuery(period) };
  const figures = useApiData<VoucherStatistics>(`${groupBy}:${period}:${version}`, (signal) => api('worker', '/statistics/vouchers', { token, signal, query }));
  const programs = useApiData<VoucherProgram[]>('programs', (signal) => api('booking', '/voucher-programs', { token, signal }));
  const issuers = [...new Set((programs.data ?? []).map((program) => program.issuingRegionCode))].sort();
  const regionNames = useApiData<Map<string, string>>(issuers.length > 0 ? issuers.join(',') : null, async (signal) => {
    const regions = await Promise.all(issuers.map((code) => api<Region>('catalog', `/regions/${code}`, { signal })));
    return new Map(regions.map((region) => [region.code, region.name]));
  });

  return (
    <div className="stack">
      <section aria-labelledby="dashboard-voucher-figures">
        <div className="dashboard-section-head">
          <h2 id="dashboard-voucher-figures">{texts.vouchers.figures}</h2>
          <CsvDownload service="worker" path="/statistics/vouchers" query={query} label={texts.csv.vouchers} />
        </div>
        <div className="dashboard-controls">
          <Choice
            label={texts.period.label}
            value={period}
            onChange={setPeriod}
            options={[
              { value: String(year), label: texts.period.year(year) },
              { value: String(year - 1), label: texts.period.year(year - 1) },
              { value: 'last12', label: texts.period.last12 },
              ...lastTwelveMonths()
                .reverse()
                .map((month) => ({ value: month, label: texts.period.month(month) })),
            ]}
          />
          <Choice label={texts.vouchers.groupBy} value={groupBy} onChange={(value) => setGroupBy(value as typeof groupBy)} options={GROUPS.map((value) => ({ value, label: texts.vouchers.groups[value] }))} />
        </div>
        <Loaded state={figures}>
          {(data) => (
            <>
              <div className="dashboard-goals">
                <GoalCard
                  title={texts.vouchers.target}
                  figure={texts.goal.of(formatYuan(data.target.grantedToDateFen ?? 0, language), formatYuan(data.target.targetFen, language))}
                  progress={data.target.progress ?? 0}
                  percentText={texts.goal.percent(percentOf(data.target.progress ?? 0))}
                  detail={texts.goal.voucherYear(data.to.slice(0, 4))}
                />
              </div>
              <VoucherFiguresView data={data} />
            </>
          )}
        </Loaded>
      </section>

      <section aria-labelledby="dashboard-programs">
        <h2 id="dashboard-programs">{texts.vouchers.programs}</h2>
        <Loaded state={programs}>
          {(rows) =>
            rows.length === 0 ? (
              <p className="muted">{texts.vouchers.noPrograms}</p>
            ) : (
              <DataTable labelledBy="dashboard-programs" heads={[texts.vouchers.program, texts.vouchers.issuingRegion, texts.vouchers.budget, texts.vouchers.granted, texts.vouchers.remaining, texts.vouchers.validity, texts.vouchers.status]}>
                {rows.map((program) => (
                  <tr key={program.id}>
                    <th scope="row">{program.name}</th>
                    <td>{regionNames.data?.get(program.issuingRegionCode) ?? program.issuingRegionCode}</td>
                    <td>{formatYuan(program.budgetFen, language)}</td>
                    <td>{formatYuan(program.grantedFen, language)}</td>
                    <td>{formatYuan(program.remainingFen, language)}</td>
                    <td>
                      {program.validFrom} – {program.validUntil}
                    </td>
                    <td>{texts.vouchers.programStatus[program.status] ?? program.status}</td>
                  </tr>
                ))}
              </DataTable>
            )
          }
        </Loaded>
      </section>

      {/* An approval takes from a program's budget: the programs' figures are read again. */}
      <Applications onDecided={programs.reload} />

      <Claims />
    </div>
  );
}

function VoucherFiguresView({ data }: { data: VoucherStatistics }) {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const labels = useMemo(() => data.rows.map((row) => row.name), [data]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: texts.vouchers.granted, values: data.rows.map((row) => (row.grantedFen === null ? null : row.grantedFen / 100)), color: '#0b5cad' },
      { label: texts.vouchers.redeemed, values: data.rows.map((row) => row.redeemedFen / 100), color: '#c25400' },
    ],
    [data, texts],
  );
  const money = (fen: number | null) => (fen === null ? texts.none : formatYuan(fen, language));
  const cells = (figures: VoucherFigures) => (
    <>
      <td>{money(figures.grantedFen)}</td>
      <td>{money(figures.redeemedFen)}</td>
      <td>{money(figures.expiredFen)}</td>
      <td>{money(figures.reservedFen)}</td>
      <td>{money(figures.availableFen)}</td>
      <td>{formatNumber(figures.firmsServed, language)}</td>
      <td>{money(figures.claimsPaidFen)}</td>
    </>
  );
  if (data.rows.length === 0) return <p className="muted">{texts.vouchers.noRows}</p>;
  return (
    <>
      <ChartCanvas kind="bar" horizontal labels={labels} series={series} unit={language === 'zh' ? ' 元' : ' yuan'} label={texts.vouchers.chartLabel} />
      <DataTable
        labelledBy="dashboard-voucher-figures"
        heads={[texts.vouchers.name, texts.vouchers.granted, texts.vouchers.redeemed, texts.vouchers.expired, texts.vouchers.reserved, texts.vouchers.available, texts.vouchers.firmsServed, texts.vouchers.claimsPaid]}
        foot={
          <tr>
            <th scope="row">{texts.usage.total}</th>
            {cells(data.total)}
          </tr>
        }
      >
        {data.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.name}</th>
            {cells(row)}
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** Applications for quota under the region's programs, waiting for a decision: approve (possibly less than asked), or reject with a reason. */
function Applications({ onDecided }: { onDecided(): void }) {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const { token } = useSession();
  const applications = useApiData<VoucherApplication[]>('applications', (signal) => api('booking', '/voucher-grants', { token, signal, query: { status: 'applied' } }));
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="dashboard-applications">
      <h2 id="dashboard-applications">{texts.vouchers.applications}</h2>
      <p role="status" className="success">
        {notice}
      </p>
      <Loaded state={applications}>
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">{texts.vouchers.noApplications}</p>
          ) : (
            <DataTable labelledBy="dashboard-applications" heads={[texts.vouchers.applicant, texts.vouchers.program, texts.vouchers.requested, texts.vouchers.purpose, texts.vouchers.appliedOn, texts.vouchers.actions]}>
              {rows.map((application) => (
                <tr key={application.id}>
                  <th scope="row">
                    {/* Names of firms, people and programs are data: shown as registered, in any language. */}
                    <span translate="no">{application.holderName}</span>
                    <div className="muted">{texts.vouchers.holderKind[application.holderKind] ?? application.holderKind}</div>
                  </th>
                  <td translate="no">{application.programName}</td>
                  <td>{formatYuan(application.requestedFen, language)}</td>
                  <td className="dashboard-purpose">{application.purpose || texts.none}</td>
                  <td>{localDate(new Date(application.createdAt), 'Asia/Shanghai')}</td>
                  <td>
                    <ApplicationActions
                      application={application}
                      onDone={(done) => {
                        setNotice(done);
                        applications.reload();
                        onDecided();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
    </section>
  );
}

function ApplicationActions({ application, onDone }: { application: VoucherApplication; onDone(notice: string): void }) {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const [form, setForm] = useState<'approve' | 'reject' | null>(null);
  const [text, setText] = useState('');
  const { busy, problem, setProblem, post } = useDecision();

  function open(next: 'approve' | 'reject' | null) {
    setForm(next);
    setText('');
    setProblem(null);
  }

  async function act(action: 'approve' | 'reject', body: object) {
    const decided = await post<{ approvedFen?: number }>(`/voucher-grants/${application.id}/${action}`, body);
    if (!decided) return;
    setForm(null);
    onDone(
      action === 'approve'
        ? texts.vouchers.applicationDone.approved(application.holderName, formatYuan(decided.approvedFen ?? application.requestedFen, language))
        : texts.vouchers.applicationDone.rejected(application.holderName),
    );
  }

  function submit() {
    if (form === 'reject') {
      void act('reject', { reason: text });
      return;
    }
    // Empty: the amount asked for (the service's default); else yuan as typed, to whole fen.
    if (text.trim() === '') {
      void act('approve', {});
      return;
    }
    const amountFen = parseYuanToFen(text);
    if (amountFen === null) setProblem(texts.vouchers.amountInvalid);
    else if (amountFen > application.requestedFen) setProblem(texts.vouchers.approveAboveRequested(formatYuan(application.requestedFen, language)));
    else void act('approve', { amountFen });
  }

  return (
    <div className="dashboard-claim-actions">
      {form === null && (
        <>
          <button type="button" onClick={() => open('approve')} disabled={busy}>
            {texts.vouchers.approve}
          </button>
          <button type="button" className="secondary" onClick={() => open('reject')} disabled={busy}>
            {texts.vouchers.reject}
          </button>
        </>
      )}
      {form !== null && (
        <DecisionForm
          label={form === 'reject' ? texts.vouchers.rejectReason : texts.vouchers.approveAmount}
          confirm={form === 'reject' ? texts.vouchers.confirmRejectApplication : texts.vouchers.confirmApprove}
          input={form === 'reject' ? { required: true, maxLength: 2000 } : { inputMode: 'decimal', autoComplete: 'off' }}
          value={text}
          onChange={setText}
          busy={busy}
          onSubmit={submit}
          onCancel={() => open(null)}
        />
      )}
      <ErrorMessage text={problem} />
    </div>
  );
}

/** Providers' redemption claims on the region's programs: approve, reject with a reason, mark paid with the reference. */
function Claims() {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const { token } = useSession();
  const [status, setStatus] = useState('');
  const claims = useApiData<RedemptionClaim[]>(`claims:${status}`, (signal) => api('booking', '/voucher-claims', { token, signal, query: { status: status || undefined } }));
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="dashboard-claims">
      <h2 id="dashboard-claims">{texts.vouchers.claims}</h2>
      <div className="dashboard-controls">
        <Choice
          label={texts.vouchers.claimStatusFilter}
          value={status}
          onChange={setStatus}
          options={[{ value: '', label: texts.vouchers.allStatuses }, ...Object.entries(texts.vouchers.claimStatus).map(([value, label]) => ({ value, label }))]}
        />
      </div>
      <p role="status" className="success">
        {notice}
      </p>
      <Loaded state={claims}>
        {(rows) =>
          rows.length === 0 ? (
            <p className="muted">{texts.vouchers.noClaims}</p>
          ) : (
            <DataTable labelledBy="dashboard-claims" heads={[texts.vouchers.provider, texts.vouchers.program, texts.vouchers.period, texts.vouchers.amount, texts.vouchers.items, texts.vouchers.status, texts.vouchers.actions]}>
              {rows.map((claim) => (
                <tr key={claim.id}>
                  <th scope="row">{claim.providerName}</th>
                  <td>{claim.programName}</td>
                  <td>
                    {claim.from} – {claim.to}
                  </td>
                  <td>{formatYuan(claim.amountFen, language)}</td>
                  <td>{formatNumber(claim.itemCount, language)}</td>
                  <td>
                    {texts.vouchers.claimStatus[claim.status] ?? claim.status}
                    {claim.paymentReference && <div className="muted">{texts.vouchers.reference(claim.paymentReference)}</div>}
                    {claim.decisionReason && <div className="muted">{claim.decisionReason}</div>}
                  </td>
                  <td>
                    <ClaimActions
                      claim={claim}
                      onDone={(action) => {
                        setNotice(texts.vouchers.done[action]);
                        claims.reload();
                      }}
                    />
                  </td>
                </tr>
              ))}
            </DataTable>
          )
        }
      </Loaded>
    </section>
  );
}

function ClaimActions({ claim, onDone }: { claim: RedemptionClaim; onDone(action: 'approved' | 'rejected' | 'paid'): void }) {
  const texts = useTexts(dashboardTexts);
  const [form, setForm] = useState<'reject' | 'pay' | null>(null);
  const [text, setText] = useState('');
  const { busy, problem, post } = useDecision();

  async function act(action: 'approve' | 'reject' | 'pay', body: object) {
    if (!(await post(`/voucher-claims/${claim.id}/${action}`, body))) return;
    setForm(null);
    onDone(action === 'approve' ? 'approved' : action === 'reject' ? 'rejected' : 'paid');
  }

  function submit() {
    if (form === 'reject') void act('reject', { reason: text });
    else if (form === 'pay') void act('pay', { paymentReference: text });
  }

  if (claim.status !== 'submitted' && claim.status !== 'approved') return null;
  return (
    <div className="dashboard-claim-actions">
      {form === null && claim.status === 'submitted' && (
        <>
          <button type="button" onClick={() => act('approve', {})} disabled={busy}>
            {texts.vouchers.approve}
          </button>
          <button type="button" className="secondary" onClick={() => setForm('reject')} disabled={busy}>
            {texts.vouchers.reject}
          </button>
        </>
      )}
      {form === null && claim.status === 'approved' && (
        <button type="button" onClick={() => setForm('pay')} disabled={busy}>
          {texts.vouchers.pay}
        </button>
      )}
      {form !== null && (
        <DecisionForm
          label={form === 'reject' ? texts.vouchers.rejectReason : texts.vouchers.paymentReference}
          confirm={form === 'reject' ? texts.vouchers.confirmReject : texts.vouchers.confirmPay}
          input={{ required: true, maxLength: form === 'reject' ? 2000 : 200 }}
          value={text}
          onChange={setText}
          busy={busy}
          onSubmit={submit}
          onCancel={() => setForm(null)}
        />
      )}
      <ErrorMessage text={problem} />
    </div>
  );
}

/** Posting one decision on a row to the booking service: busy while it runs, a refusal in words; the answer, or null when refused. */
function useDecision() {
  const { t, language } = useI18n();
  const { token } = useSession();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  async function post<T extends object>(path: string, body: object): Promise<T | null> {
    setBusy(true);
    setProblem(null);
    try {
      return await api<T>('booking', path, { method: 'POST', token, body });
    } catch (error) {
      setProblem(errorText(error, t, language));
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { busy, problem, setProblem, post };
}

/** The one text a decision needs (a reason, a payment reference, an amount) with its label, and confirm or cancel. */
function DecisionForm(props: {
  label: string;
  confirm: string;
  input: InputHTMLAttributes<HTMLInputElement>;
  value: string;
  onChange(value: string): void;
  busy: boolean;
  onSubmit(): void;
  onCancel(): void;
}) {
  const texts = useTexts(dashboardTexts);
  const inputId = useId();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
      className="stack"
    >
      <label htmlFor={inputId}>{props.label}</label>
      {/* A required text needs more than spaces (the service trims it); the browser says so in the user's language. */}
      <input id={inputId} pattern={props.input.required ? '.*\\S.*' : undefined} {...props.input} value={props.value} onChange={(event) => props.onChange(event.target.value)} />
      <div className="dashboard-claim-actions">
        <button type="submit" disabled={props.busy}>
          {props.confirm}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          {texts.vouchers.cancel}
        </button>
      </div>
    </form>
  );
}
