import { Suspense, lazy } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { I18nProvider } from './i18n/i18n';
import { Layout } from './layout/layout';
import { FindPage } from './pages/find-page';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { SessionProvider } from './session/session';
import { Loading } from './shared/loading';

// Pages other than search load on demand, so the search page's first load stays small.
const InstrumentPage = lazy(() => import('./pages/instrument/instrument-page'));
const MyBookingsPage = lazy(() => import('./pages/my-bookings/my-bookings-page'));
const LabConsolePage = lazy(() => import('./pages/lab-console/lab-console-page'));
const DashboardPage = lazy(() => import('./pages/dashboard/dashboard-page'));

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route element={<Layout />}>
                <Route index element={<FindPage />} />
                <Route path="login" element={<LoginPage />} />
                <Route path="instruments/:id" element={<InstrumentPage />} />
                <Route path="bookings" element={<MyBookingsPage />} />
                <Route path="lab/*" element={<LabConsolePage />} />
                <Route path="dashboard/*" element={<DashboardPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </Suspense>
        </BrowserRouter>
      </SessionProvider>
    </I18nProvider>
  );
}
