import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/api-client';
import { useI18n, useTexts } from '../../i18n/i18n';
import type { Language } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { formatYuan } from '../../shared/format';
import { ChartCanvas } from './chart-canvas';
import type { ChartSeries } from './chart-canvas';
import { CsvDownload } from './csv-download';
import { useDashboard } from './dashboard-context';
import { formatNumber, formatRate, lastTwelveMonths, periodQuery, ratePoint, today } from './dashboard-format';
import { dashboardTexts } from './dashboard-texts';
import type { DashboardTexts } from './dashboard-texts';
import type { Region, Summary, SummaryFigures, SummaryRow } from './dashboard-types';
import { Choice, Loaded } from './shared-parts';
import { useApiData } from './use-api-data';

const SHARING_COLOR = '#0b5cad';
const UTILIZATION_COLOR = '#c25400';

interface Level {
  groupBy: 'city' | 'county' | 'institution' | 'category';
  /** The region drilled into (a city or county code): the summary counts only instruments located there. */
  region: string | null;
  /** The region whose figures the trend shows (null: the whole scope). */
  trendGroup: 'province' | 'city' | 'county';
  trendKey: string | null;
}

function levelOf(view: string, city: string | null, county: string | null): Level {
  if (view === 'category') return { groupBy: 'category', region: null, trendGroup: 'province', trendKey: null };
  if (county) return { groupBy: 'institution', region: county, trendGroup: 'county', trendKey: county };
  if (city) return { groupBy: 'county', region: city, trendGroup: 'city', trendKey: city };
  return { groupBy: 'city', region: null, trendGroup: 'province', trendKey: null };
}

/** The summary's query for a level: grouped as the level is, within its region when drilled into. */
function summaryQuery(level: Level, period: string): Record<string, string> {
  return { groupBy: level.groupBy, ...(level.region && { region: level.region }), ...periodQuery(period) };
}

/** Sharing rate and utilization by city → county → institution, or by category, with monthly trends. */
export function UsagePanel() {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const { token } = useSession();
  const { version } = useDashboard();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'category' ? 'category' : 'region';
  const period = params.get('period') ?? 'last12';
  const city = view === 'region' ? params.get('city') : null;
  const county = city ? params.get('county') : null;
  const level = levelOf(view, city, county);

  const summary = useApiData<SummaryRow[]>(`${level.groupBy}:${period}:${level.region}:${version}`, async (signal) => {
    const result = await api<Summary>('worker', '/statistics/summary', { token, signal, query: summaryQuery(level, period) });
    return result.rows;
  });
  const cityRegion = useApiData<Region>(city, (signal) => api('catalog', `/regions/${city}`, { signal }));
  const countyRegion = useApiData<Region>(county, (signal) => api('catalog', `/regions/${county}`, { signal }));
  const cityName = cityRegion.data?.name ?? city ?? '';
  const countyName = countyRegion.data?.name ?? county ?? '';
  const levelName =
    level.groupBy === 'category'
      ? texts.usage.levelCategories
      : level.groupBy === 'institution'
        ? texts.usage.levelInstitutions(countyName)
        : level.groupBy === 'county'
          ? texts.usage.levelCounties(cityName)
          : texts.usage.levelCities;

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  }
  const drill =
    level.groupBy === 'city' ? (row: SummaryRow) => update({ city: row.key }) : level.groupBy === 'county' ? (row: SummaryRow) => update({ county: row.key }) : undefined;

  const year = Number(today().slice(0, 4));
  const periodOptions = [
    { value: 'last12', label: texts.period.last12 },
    { value: String(year), label: texts.period.year(year) },
    { value: String(year - 1), label: texts.period.year(year - 1) },
    ...lastTwelveMonths()
      .reverse()
      .map((month) => ({ value: month, label: texts.period.month(month) })),
  ];

  return (
    <div className="stack">
      <section aria-labelledby="dashboard-usage">
        <h2 id="dashboard-usage">{texts.usage.heading}</h2>
        <div className="dashboard-controls">
          <Choice
            label={texts.usage.view}
            value={view}
            onChange={(value) => update({ view: value === 'region' ? null : value, city: null, county: null })}
            options={[
              { value: 'region', label: texts.usage.byRegion },
              { value: 'category', label: texts.usage.byCategory },
            ]}
          />
          <Choice label={texts.period.label} value={period} onChange={(value) => update({ period: value === 'last12' ? null : value })} options={periodOptions} />
        </div>
        {view === 'region' && city && (
          <nav aria-label={texts.usage.breadcrumb} className="dashboard-breadcrumb">
            <ol>
              <li>
                <button type="button" className="link-button" onClick={() => update({ city: null, county: null })}>
                  {texts.usage.levelCities}
                </button>
              </li>
              <li>
                {county ? (
                  <button type="button" className="link-button" onClick={() => update({ county: null })}>
                    {cityName}
                  </button>
                ) : (
                  <span aria-current="page">{cityName}</span>
                )}
              </li>
              {county && (
                <li>
                  <span aria-current="page">{countyName}</span>
                </li>
              )}
            </ol>
          </nav>
        )}
        <h3 id="dashboard-level">{levelName}</h3>
        <Loaded state={summary}>
          {(rows) =>
            rows.length === 0 ? (
              <p className="muted">{texts.usage.empty}</p>
            ) : (
              <>
                <RowsChart rows={rows} label={texts.usage.chartLabel(levelName)} onSelect={drill ? (index) => drill(rows[index]) : undefined} />
                {drill && <p className="hint">{texts.usage.clickHint}</p>}
                <SummaryTable rows={rows} onDrill={drill} />
              </>
            )
          }
        </Loaded>
        <CsvDownload service="worker" path="/statistics/summary" query={summaryQuery(level, period)} label={texts.csv.summary} />
      </section>
      <Trends level={level} scopeName={level.trendKey === null ? texts.wholeScope : level.groupBy === 'institution' ? countyName : cityName} language={language} />
    </div>
  );
}

function RowsChart({ rows, label, onSelect }: { rows: SummaryRow[]; label: string; onSelect?: (index: number) => void }) {
  const texts = useTexts(dashboardTexts);
  const labels = useMemo(() => rows.map((row) => row.name), [rows]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { label: texts.usage.sharingRate, values: rows.map((row) => ratePoint(row.sharingRate)), color: SHARING_COLOR },
      { label: texts.usage.utilization, values: rows.map((row) => ratePoint(row.utilizationRated)), color: UTILIZATION_COLOR },
    ],
    [rows, texts],
  );
  return <ChartCanvas kind="bar" horizontal labels={labels} series={series} unit="%" label={label} onSelect={onSelect} />;
}

function figureCells(figures: SummaryFigures, texts: DashboardTexts, language: Language) {
  return (
    <>
      <td>{formatNumber(figures.instruments, language)}</td>
      <td>{formatRate(figures.sharingRate, texts.none)}</td>
      <td>{formatRate(figures.utilizationRated, texts.none)}</td>
      <td>{formatRate(figures.utilizationOpen, texts.none)}</td>
      <td>{formatNumber(figures.effectiveHours, language, 1)}</td>
      <td>{formatNumber(figures.externalHours, language, 1)}</td>
      <td>{formatNumber(figures.services, language)}</td>
      <td>{formatYuan(figures.revenueFen, language)}</td>
    </>
  );
}

function FigureHeads({ first }: { first: string }) {
  const texts = useTexts(dashboardTexts);
  return (
    <tr>
      <th scope="col">{first}</th>
      <th scope="col">{texts.usage.instruments}</th>
      <th scope="col">{texts.usage.sharingRate}</th>
      <th scope="col">{texts.usage.utilization}</th>
      <th scope="col">{texts.usage.utilizationOpen}</th>
      <th scope="col">{texts.usage.effectiveHours}</th>
      <th scope="col">{texts.usage.externalHours}</th>
      <th scope="col">{texts.usage.services}</th>
      <th scope="col">{texts.usage.revenue}</th>
    </tr>
  );
}

function SummaryTable({ rows, onDrill }: { rows: SummaryRow[]; onDrill?: (row: SummaryRow) => void }) {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  return (
    <div className="dashboard-table-wrap">
      <table className="dashboard-table" aria-describedby="dashboard-level" data-testid="usage-table">
        <thead>
          <FigureHeads first={texts.usage.name} />
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">
                {onDrill ? (
                  <button type="button" className="link-button" onClick={() => onDrill(row)} aria-label={texts.usage.drillTo(row.name)}>
                    {row.name}
                  </button>
                ) : (
                  row.name
                )}
              </th>
              {figureCells(row, texts, language)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The current scope's figures month by month over the last 12 months. */
function Trends({ level, scopeName, language }: { level: Level; scopeName: string; language: Language }) {
  const texts = useTexts(dashboardTexts);
  const { token } = useSession();
  const { version } = useDashboard();
  const months = useMemo(lastTwelveMonths, []);
  const trend = useApiData<(SummaryFigures | null)[]>(`${level.trendGroup}:${level.trendKey}:${version}`, (signal) =>
    Promise.all(
      months.map(async (month) => {
        const result = await api<Summary>('worker', '/statistics/summary', { token, signal, query: { groupBy: level.trendGroup, period: month, ...(level.trendKey && { region: level.trendKey }) } });
        return level.trendKey === null ? (result.rows.length > 0 ? result.total : null) : (result.rows.find((row) => row.key === level.trendKey) ?? null);
      }),
    ),
  );
  const series = useMemo<ChartSeries[]>(
    () =>
      trend.data
        ? [
            { label: texts.usage.sharingRate, values: trend.data.map((figures) => ratePoint(figures?.sharingRate)), color: SHARING_COLOR },
            { label: texts.usage.utilization, values: trend.data.map((figures) => ratePoint(figures?.utilizationRated)), color: UTILIZATION_COLOR },
          ]
        : [],
    [trend.data, texts],
  );
  return (
    <section aria-labelledby="dashboard-trends">
      <h2 id="dashboard-trends">{texts.usage.trends}</h2>
      <p className="muted" id="dashboard-trends-scope">
        {texts.usage.trendsOf(scopeName)}
      </p>
      <Loaded state={trend}>
        {(figures) => (
          <>
            <ChartCanvas kind="line" labels={months} series={series} unit="%" label={texts.usage.trendChartLabel(scopeName)} />
            <div className="dashboard-table-wrap">
              <table className="dashboard-table" aria-describedby="dashboard-trends-scope">
                <thead>
                  <FigureHeads first={texts.usage.month} />
                </thead>
                <tbody>
                  {months.map((month, index) => (
                    <tr key={month}>
                      <th scope="row">{month}</th>
                      {figures[index] ? (
                        figureCells(figures[index], texts, language)
                      ) : (
                        <td colSpan={8} className="muted">
                          {texts.none}
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
