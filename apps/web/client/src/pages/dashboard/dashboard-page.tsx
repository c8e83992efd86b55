import { NavLink, Navigate, Route, Routes } from 'react-router';
import { api } from '../../api/api-client';
import { useTexts } from '../../i18n/i18n';
import { RequireRole } from '../../session/require-role';
import { useSession } from '../../session/session';
import { CompliancePanel } from './compliance-panel';
import { DashboardProvider } from './dashboard-context';
import { dashboardTexts } from './dashboard-texts';
import type { Region } from './dashboard-types';
import { EvaluationPanel } from './evaluation-panel';
import { OverviewPanel } from './overview-panel';
import { UsagePanel } from './usage-panel';
import { useApiData } from './use-api-data';
import { VouchersPanel } from './vouchers-panel';
import './dashboard.css';

const TABS = ['overview', 'usage', 'compliance', 'evaluation', 'vouchers'] as const;

/** The department's view of its region: goal progress, sharing and use, compliance, evaluation, vouchers. */
export default function DashboardPage() {
  return (
    <RequireRole roles={['department_staff', 'admin']}>
      <DashboardProvider>
        <Dashboard />
      </DashboardProvider>
    </RequireRole>
  );
}

function Dashboard() {
  const texts = useTexts(dashboardTexts);
  const { user } = useSession();
  const regionCode = user?.regionCode ?? null;
  const region = useApiData<Region>(regionCode, (signal) => api<Region>('catalog', `/regions/${regionCode}`, { signal }));
  return (
    <div className="dashboard">
      <div className="dashboard-title">
        <h1>{texts.title}</h1>
        <p className="muted">{texts.scope(regionCode ? (region.data?.name ?? regionCode) : texts.wholeScope)}</p>
      </div>
      <nav aria-label={texts.tabsLabel} className="dashboard-tabs">
        <ul>
          {TABS.map((tab) => (
            <li key={tab}>
              <NavLink to={tab === 'overview' ? '/dashboard' : `/dashboard/${tab}`} end={tab === 'overview'}>
                {texts.tabs[tab]}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Routes>
        <Route index element={<OverviewPanel />} />
        <Route path="usage" element={<UsagePanel />} />
        <Route path="compliance" element={<CompliancePanel />} />
        <Route path="evaluation" element={<EvaluationPanel />} />
        <Route path="vouchers" element={<VouchersPanel />} />
        <Route path="*" element={<Navigate to="/dashboard" replace />} />
      </Routes>
    </div>
  );
}
