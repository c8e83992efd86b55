import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/api-client';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { formatYuan } from '../../shared/format';
import { CsvDownload } from './csv-download';
import { useDashboard } from './dashboard-context';
import { dashboardTexts } from './dashboard-texts';
import type { GoalInstrument, SharingGoal } from './dashboard-types';
import { Loaded } from './shared-parts';
import { useApiData } from './use-api-data';

const FIRST_ROWS = 50;

/** The non-compliant instruments (not shared though they must be) and the idle ones (shared, unused by outsiders). */
export function CompliancePanel() {
  const texts = useTexts(dashboardTexts);
  const { token } = useSession();
  const { version } = useDashboard();
  const goal = useApiData<SharingGoal>(`goal:${version}`, (signal) => api('worker', '/statistics/goal', { token, signal }));
  return (
    <div className="stack">
      <section aria-labelledby="dashboard-non-compliant">
        <div className="dashboard-section-head">
          <h2 id="dashboard-non-compliant">{texts.compliance.nonCompliant}</h2>
          <CsvDownload service="worker" path="/statistics/goal" query={{ list: 'non_compliant' }} label={texts.csv.nonCompliant} />
        </div>
        <p className="hint">{texts.compliance.nonCompliantHint}</p>
        <Loaded state={goal}>{(data) => <InstrumentTable rows={data.nonCompliant} labelledBy="dashboard-non-compliant" />}</Loaded>
      </section>
      <section aria-labelledby="dashboard-idle">
        <div className="dashboard-section-head">
          <h2 id="dashboard-idle">{texts.compliance.idle}</h2>
          <CsvDownload service="worker" path="/statistics/goal" query={{ list: 'idle' }} label={texts.csv.idle} />
        </div>
        <Loaded state={goal}>
          {(data) => (
            <>
              <p className="hint">{texts.compliance.idleHint(data.idleSince)}</p>
              <InstrumentTable rows={data.idle} labelledBy="dashboard-idle" />
            </>
          )}
        </Loaded>
      </section>
    </div>
  );
}

function InstrumentTable({ rows, labelledBy }: { rows: GoalInstrument[]; labelledBy: string }) {
  const texts = useTexts(dashboardTexts);
  const { language } = useI18n();
  const [all, setAll] = useState(false);
  if (rows.length === 0) return <p className="muted">{texts.compliance.none}</p>;
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  return (
    <>
      <p className="muted">{texts.compliance.count(rows.length)}</p>
      <div className="dashboard-table-wrap">
        <table className="dashboard-table" aria-labelledby={labelledBy}>
          <thead>
            <tr>
              <th scope="col">{texts.compliance.instrument}</th>
              <th scope="col">{texts.compliance.institution}</th>
              <th scope="col">{texts.compliance.county}</th>
              <th scope="col">{texts.compliance.value}</th>
              <th scope="col">{texts.compliance.mode}</th>
              <th scope="col">{texts.compliance.lastExternal}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr key={row.id}>
                <th scope="row">
                  <Link to={`/instruments/${row.id}`}>{row.nameZh}</Link>
                </th>
                <td>{row.institutionName}</td>
                <td>{row.regionCode}</td>
                <td>{formatYuan(row.originalValueFen, language)}</td>
                <td>{texts.compliance.modes[row.sharingMode] ?? row.sharingMode}</td>
                <td>{row.lastExternalDay ?? texts.compliance.never}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!all && rows.length > FIRST_ROWS && (
        <button type="button" className="secondary" onClick={() => setAll(true)}>
          {texts.compliance.showAll(rows.length)}
        </button>
      )}
    </>
  );
}
