import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan, localDate } from '../../shared/format';
import { labTexts } from './lab-console-texts';

interface Figures {
  instruments: number;
  openHours: number;
  bookedHours: number;
  effectiveHours: number;
  externalHours: number;
  utilizationRated: number | null;
  sharingRate: number | null;
  services: number;
  revenueFen: number;
  noShows: number;
  averageRating: number | null;
}

interface Summary {
  from: string;
  to: string;
  rows: (Figures & { key: string; name: string })[];
  total: Figures;
}

type PeriodKey = 'month' | 'lastMonth' | 'quarter' | 'year' | 'lastYear';

function periodOf(key: PeriodKey): string {
  const today = localDate(new Date(), 'Asia/Shanghai');
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  switch (key) {
    case 'month':
      return today.slice(0, 7);
    case 'lastMonth':
      return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
    case 'quarter':
      return `${year}-Q${Math.ceil(month / 3)}`;
    case 'year':
      return String(year);
    case 'lastYear':
      return String(year - 1);
  }
}

/** The institution's figures from the worker's compiled statistics (scoped to the lab manager's institution by the service). */
export function StatisticsPanel() {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [period, setPeriod] = useState<PeriodKey>('lastMonth');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    api<Summary>('worker', '/statistics/summary', { token, signal: controller.signal, query: { groupBy: 'category', period: periodOf(period) } })
      .then(setSummary)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [period, token]);
  const number = new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 1 });
  const percent = (value: number | null) => (value === null ? '—' : `${number.format(value * 100)} %`);
  const columns: [keyof Figures, (figures: Figures) => string][] = [
    ['instruments', (f) => String(f.instruments)],
    ['effectiveHours', (f) => number.format(f.effectiveHours)],
    ['externalHours', (f) => number.format(f.externalHours)],
    ['utilizationRated', (f) => percent(f.utilizationRated)],
    ['sharingRate', (f) => percent(f.sharingRate)],
    ['services', (f) => String(f.services)],
    ['revenueFen', (f) => formatYuan(f.revenueFen, language)],
    ['noShows', (f) => String(f.noShows)],
    ['averageRating', (f) => (f.averageRating === null ? '—' : number.format(f.averageRating))],
  ];
  return (
    <section aria-labelledby="lab-statistics-title" aria-busy={loading}>
      <h2 id="lab-statistics-title">{texts.statisticsTitle}</h2>
      <label className="lab-picker">
        {texts.period}
        <select value={period} onChange={(event) => setPeriod(event.target.value as PeriodKey)}>
          {(Object.keys(texts.periods) as PeriodKey[]).map((key) => (
            <option key={key} value={key}>
              {texts.periods[key]} ({periodOf(key)})
            </option>
          ))}
        </select>
      </label>
      <p className="hint">{texts.compiledHint}</p>
      {loading && (
        <p role="status" className="muted">
          {t.common.loading}
        </p>
      )}
      <ErrorMessage text={error} />
      {summary && summary.rows.length === 0 && !loading && <p>{texts.noFigures}</p>}
      {summary && summary.rows.length > 0 && (
        <>
          <dl className="lab-figures">
            {columns.map(([key, show]) => (
              <div key={key}>
                <dt>{texts.figures[key as keyof typeof texts.figures]}</dt>
                <dd>{show(summary.total)}</dd>
              </div>
            ))}
          </dl>
          <div className="lab-table-wrap">
            <table>
              <caption className="visually-hidden">{texts.statisticsTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{texts.name}</th>
                  {columns.map(([key]) => (
                    <th scope="col" key={key}>
                      {texts.figures[key as keyof typeof texts.figures]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {summary.rows.map((row) => (
                  <tr key={row.key}>
                    <th scope="row">{row.name}</th>
                    {columns.map(([key, show]) => (
                      <td key={key}>{show(row)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
