import { useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan } from '../../shared/format';
import { CsvDownload } from './csv-download';
import { useDashboard } from './dashboard-context';
import { addDays, formatNumber, today } from './dashboard-format';
import { dashboardTexts } from './dashboard-texts';
import type { GoalRegion, SharingGoal, VoucherStatistics } from './dashboard-types';
import { GoalCard, Loaded, percentOf } from './shared-parts';
import { useApiData } from './use-api-data';

/** Goal progress (instruments, value, vouchers), the goal by city and county, and compiling on demand. */
export function OverviewPanel() {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const { token } = useSession();
  const { version } = useDashboard();
  const year = today().slice(0, 4);
  const goal = useApiData<SharingGoal>(`goal:${version}`, (signal) => api('worker', '/statistics/goal', { token, signal }));
  const vouchers = useApiData<VoucherStatistics>(`vouchers:${year}:${version}`, (signal) =>
    api('worker', '/statistics/vouchers', { token, signal, query: { groupBy: 'program', period: year } }),
  );
  const [counties, setCounties] = useState(false);

  return (
    <div className="stack">
      <section aria-labelledby="dashboard-goal-heading">
        <h2 id="dashboard-goal-heading">{texts.goal.heading}</h2>
        <div className="dashboard-goals">
          <Loaded state={goal}>
            {(data) => (
              <>
                <GoalCard
                  title={texts.goal.instruments}
                  figure={texts.goal.of(formatNumber(data.shared.instruments, language), formatNumber(data.goal.instruments, language))}
                  progress={data.instrumentProgress}
                  percentText={texts.goal.percent(percentOf(data.instrumentProgress))}
                  detail={texts.goal.eligible(formatNumber(data.eligible.instruments, language), formatYuan(data.eligible.originalValueFen, language))}
                />
                <GoalCard
                  title={texts.goal.value}
                  figure={texts.goal.of(formatYuan(data.shared.originalValueFen, language), formatYuan(data.goal.originalValueFen, language))}
                  progress={data.valueProgress}
                  percentText={texts.goal.percent(percentOf(data.valueProgress))}
                />
              </>
            )}
          </Loaded>
          <Loaded state={vouchers}>
            {(data) => (
              <GoalCard
                title={texts.goal.vouchers}
                figure={texts.goal.of(formatYuan(data.target.grantedToDateFen ?? 0, language), formatYuan(data.target.targetFen, language))}
                progress={data.target.progress ?? 0}
                percentText={texts.goal.percent(percentOf(data.target.progress ?? 0))}
                detail={texts.goal.voucherYear(year)}
              />
            )}
          </Loaded>
        </div>
      </section>

      <CompilePanel />

      <section aria-labelledby="dashboard-by-region">
        <div className="dashboard-section-head">
          <h2 id="dashboard-by-region">{counties ? texts.goal.byCounty : texts.goal.byCity}</h2>
          <button type="button" className="secondary" onClick={() => setCounties(!counties)} aria-pressed={counties}>
            {counties ? texts.goal.hideCounties : texts.goal.showCounties}
          </button>
          <CsvDownload service="worker" path="/statistics/goal" query={{ list: 'cities' }} label={texts.csv.cities} />
          <CsvDownload service="worker" path="/statistics/goal" query={{ list: 'counties' }} label={texts.csv.counties} />
        </div>
        <Loaded state={goal}>{(data) => <GoalRegionTable rows={counties ? data.byCounty : data.byCity} />}</Loaded>
      </section>
    </div>
  );
}

function GoalRegionTable({ rows }: { rows: GoalRegion[] }) {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  return (
    <div className="dashboard-table-wrap">
      <table className="dashboard-table">
        <thead>
          <tr>
            <th scope="col">{texts.goal.region}</th>
            <th scope="col">{texts.goal.eligibleCount}</th>
            <th scope="col">{texts.goal.sharedCount}</th>
            <th scope="col">{texts.goal.sharedValue}</th>
            <th scope="col">{texts.goal.nonCompliant}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.code}>
              <th scope="row">{row.name}</th>
              <td>{formatNumber(row.eligibleInstruments, language)}</td>
              <td>{formatNumber(row.sharedInstruments, language)}</td>
              <td>{formatYuan(row.sharedValueFen, language)}</td>
              <td>{formatNumber(row.nonCompliantInstruments, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Compiles a range of days on demand and shows how far it got. */
function CompilePanel() {
  const texts = useTexts(dashboardTexts);
  const { t, language } = useI18n();
  const { run, runError, compile } = useDashboard();
  const yesterday = addDays(today(), -1);
  const [from, setFrom] = useState(addDays(yesterday, -29));
  const [to, setTo] = useState(yesterday);
  const [starting, setStarting] = useState(false);
  const running = run !== null && (run.state === 'queued' || run.state === 'running');

  async function start(event: FormEvent) {
    event.preventDefault();
    setStarting(true);
    await compile(from, to);
    setStarting(false);
  }

  return (
    <section aria-labelledby="dashboard-compile" className="dashboard-compile">
      <h2 id="dashboard-compile">{texts.compile.heading}</h2>
      <p className="hint">{texts.compile.hint}</p>
      <form className="inline-form" onSubmit={start}>
        <label>
          {texts.compile.from}
          <input type="date" value={from} max={to} onChange={(event) => setFrom(event.target.value)} required />
        </label>
        <label>
          {texts.compile.to}
          <input type="date" value={to} min={from} onChange={(event) => setTo(event.target.value)} required />
        </label>
        <button type="submit" disabled={starting || running}>
          {texts.compile.start}
        </button>
      </form>
      {run && (
        <div className="dashboard-run">
          <progress max={Math.max(run.daysTotal, 1)} value={run.daysDone} aria-label={texts.compile.progressLabel} />
          <p role="status" className={run.state === 'failed' ? 'error' : run.state === 'done' ? 'success' : undefined}>
            {run.state === 'failed'
              ? texts.compile.failed(run.error ?? '')
              : texts.compile.status(texts.compile.states[run.state], run.daysDone, run.daysTotal, run.rowsWritten)}
            {run.state === 'done' && run.durationMs !== null && `（${texts.compile.took((run.durationMs / 1000).toFixed(1))}）`}
          </p>
        </div>
      )}
      <ErrorMessage text={runError ? errorText(runError, t, language) : null} />
    </section>
  );
}
