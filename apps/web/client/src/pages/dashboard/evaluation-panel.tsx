import { useState } from 'react';
import { api } from '../../api/api-client';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { CsvDownload } from './csv-download';
import { useDashboard } from './dashboard-context';
import { formatNumber, formatRate, today } from './dashboard-format';
import { dashboardTexts } from './dashboard-texts';
import type { Evaluation } from './dashboard-types';
import { Choice, Loaded } from './shared-parts';
import { useApiData } from './use-api-data';

const GRADES = ['优秀', '良好', '合格', '较差'];
const FIRST_ROWS = 100;

/** The annual evaluation (绩效考核) of institutions or instruments, with the 较差 rectification list. */
export function EvaluationPanel() {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const { token } = useSession();
  const { version } = useDashboard();
  const thisYear = Number(today().slice(0, 4));
  const [year, setYear] = useState(String(thisYear));
  const [level, setLevel] = useState<'institution' | 'instrument'>('institution');
  const [grade, setGrade] = useState('');
  const [all, setAll] = useState(false);
  const query = { year, level, grade: grade || undefined };
  const evaluation = useApiData<Evaluation>(`${year}:${level}:${grade}:${version}`, (signal) => api('worker', '/statistics/evaluation', { token, signal, query }));

  return (
    <section aria-labelledby="dashboard-evaluation" className="stack">
      <div className="dashboard-section-head">
        <h2 id="dashboard-evaluation">{texts.evaluation.heading}</h2>
        <CsvDownload service="worker" path="/statistics/evaluation" query={query} label={texts.csv.evaluation} />
      </div>
      <div className="dashboard-controls">
        <Choice
          label={texts.evaluation.year}
          value={year}
          onChange={setYear}
          options={[thisYear, thisYear - 1].map((value) => ({ value: String(value), label: texts.period.year(value) }))}
        />
        <Choice
          label={texts.evaluation.level}
          value={level}
          onChange={(value) => setLevel(value as 'institution' | 'instrument')}
          options={[
            { value: 'institution', label: texts.evaluation.levels.institution },
            { value: 'instrument', label: texts.evaluation.levels.instrument },
          ]}
        />
        <Choice
          label={texts.evaluation.grade}
          value={grade}
          onChange={setGrade}
          options={[{ value: '', label: texts.evaluation.allGrades }, ...GRADES.map((value) => ({ value, label: value === '较差' ? texts.evaluation.poorOnly : value }))]}
        />
      </div>
      <Loaded state={evaluation}>
        {(data) => {
          const shown = all ? data.rows : data.rows.slice(0, FIRST_ROWS);
          const cut = data.policy.cutOffs;
          return (
            <>
              <p className="hint">{texts.evaluation.policy(cut.excellent, cut.good, cut.pass)}</p>
              <p className="muted">{texts.evaluation.count(data.rows.length)}</p>
              {data.rows.length === 0 ? (
                <p className="muted">{texts.evaluation.none}</p>
              ) : (
                <div className="dashboard-table-wrap">
                  <table className="dashboard-table" aria-labelledby="dashboard-evaluation">
                    <thead>
                      <tr>
                        <th scope="col">{texts.evaluation.rank}</th>
                        <th scope="col">{texts.evaluation.name}</th>
                        {data.level === 'instrument' && <th scope="col">{texts.evaluation.institution}</th>}
                        {data.level === 'institution' && <th scope="col">{texts.evaluation.instruments}</th>}
                        <th scope="col">{texts.evaluation.total}</th>
                        <th scope="col">{texts.evaluation.grade}</th>
                        <th scope="col">{texts.evaluation.sharingRate}</th>
                        <th scope="col">{texts.evaluation.effectiveHours}</th>
                        <th scope="col">{texts.evaluation.externalHours}</th>
                        <th scope="col">{texts.evaluation.externalServices}</th>
                        <th scope="col">{texts.evaluation.completeness}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {shown.map((row, index) => (
                        <tr key={row.id} className={row.grade === '较差' ? 'dashboard-poor' : undefined}>
                          <td>{index + 1}</td>
                          <th scope="row">{row.name}</th>
                          {data.level === 'instrument' && <td>{row.institutionName}</td>}
                          {data.level === 'institution' && <td>{formatNumber(row.instruments, language)}</td>}
                          <td>{row.total.toFixed(1)}</td>
                          <td>{row.grade}</td>
                          <td>{formatRate(row.indicators.sharingRate, texts.none)}</td>
                          <td>{formatNumber(row.indicators.effectiveHours, language, 1)}</td>
                          <td>{formatNumber(row.indicators.externalHours, language, 1)}</td>
                          <td>{formatNumber(row.indicators.externalServices, language)}</td>
                          <td>{formatRate(row.indicators.completeness, texts.none)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {!all && data.rows.length > FIRST_ROWS && (
                <button type="button" className="secondary" onClick={() => setAll(true)}>
                  {texts.evaluation.showAll(data.rows.length)}
                </button>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
