import { useEffect, useState } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { api } from '../../api/api-client';
import type { InstrumentPage, InstrumentSummary } from '../../api/catalog-types';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { RequireRole } from '../../session/require-role';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { rememberInstruments } from '../my-bookings/booking-shared';
import { ApprovalQueue } from './approval-queue';
import { AvailabilityEditor } from './availability-editor';
import { InstrumentEditor } from './instrument-editor';
import { ConsoleContext } from './console-context';
import { labTexts } from './lab-console-texts';
import { QualificationsPanel } from './qualifications-panel';
import { StatisticsPanel } from './statistics-panel';
import { TodaySessions } from './today-sessions';
import { VoucherReceipts } from './voucher-receipts';
import './lab-console.css';

export default function LabConsolePage() {
  return (
    <RequireRole roles={['lab_manager', 'admin']}>
      <LabConsole />
    </RequireRole>
  );
}

const TABS = [
  ['', 'approvals'],
  ['availability', 'availability'],
  ['today', 'today'],
  ['instruments', 'instruments'],
  ['qualifications', 'qualifications'],
  ['statistics', 'statistics'],
  ['vouchers', 'vouchers'],
] as const;

function LabConsole() {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token, user } = useSession();
  const [institutionId, setInstitutionId] = useState(user?.institutionId ?? '');
  const [typed, setTyped] = useState(institutionId);
  const [instruments, setInstruments] = useState<InstrumentSummary[] | null>(null);
  const [progress, setProgress] = useState({ done: 0, total: 0 });
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!institutionId) return;
    const controller = new AbortController();
    setInstruments(null);
    setError(null);
    (async () => {
      const all: InstrumentSummary[] = [];
      for (let page = 1; ; page++) {
        const answer = await api<InstrumentPage>('catalog', '/instruments', {
          token,
          signal: controller.signal,
          query: { institutionId, page, pageSize: 100, sort: 'value_desc' },
        });
        all.push(...answer.items);
        setProgress({ done: all.length, total: answer.total });
        if (all.length >= answer.total || answer.items.length === 0) break;
      }
      return all;
    })()
      .then((all) => {
        rememberInstruments(all);
        setInstruments(all.sort((left, right) => left.nameZh.localeCompare(right.nameZh, 'zh-CN')));
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [institutionId, token]);

  return (
    <section className="lab">
      <h1>{texts.title}</h1>
      {!user?.institutionId && (
        <form
          className="lab-inline"
          onSubmit={(event) => {
            event.preventDefault();
            setInstitutionId(typed.trim());
          }}
        >
          <label>
            {texts.institutionLabel}
            <input value={typed} onChange={(event) => setTyped(event.target.value)} required pattern="[0-9a-fA-F-]{36}" />
          </label>
          <button type="submit">{texts.institutionApply}</button>
        </form>
      )}
      <nav aria-label={texts.sections} className="lab-tabs">
        <ul>
          {TABS.map(([path, key]) => (
            <li key={key}>
              <NavLink to={path ? `/lab/${path}` : '/lab'} end>
                {texts.tabs[key]}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <ErrorMessage text={error} />
      {institutionId && !instruments && !error && (
        <p role="status" className="muted">
          {texts.loadingInstruments(progress.done, progress.total)}
        </p>
      )}
      {instruments && instruments.length === 0 && <p>{texts.noInstruments}</p>}
      {instruments && instruments.length > 0 && (
        <ConsoleContext.Provider value={{ institutionId, instruments }}>
          <Routes>
            <Route index element={<ApprovalQueue />} />
            <Route path="availability" element={<AvailabilityEditor />} />
            <Route path="today" element={<TodaySessions />} />
            <Route path="instruments" element={<InstrumentEditor />} />
            <Route path="qualifications" element={<QualificationsPanel />} />
            <Route path="statistics" element={<StatisticsPanel />} />
            <Route path="vouchers" element={<VoucherReceipts />} />
          </Routes>
        </ConsoleContext.Provider>
      )}
    </section>
  );
}
