import { NavLink, Outlet, useNavigate } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';

export function Layout() {
  const { t, language, setLanguage } = useI18n();
  const { user, logout } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand">
          {t.appName}
        </NavLink>
        <nav aria-label={t.appName}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t.nav.find}
              </NavLink>
            </li>
            {user && user.role !== 'department_staff' && (
              <li>
                <NavLink to="/bookings">{t.nav.myBookings}</NavLink>
              </li>
            )}
            {(user?.role === 'lab_manager' || user?.role === 'admin') && (
              <li>
                <NavLink to="/lab">{t.nav.labConsole}</NavLink>
              </li>
            )}
            {(user?.role === 'department_staff' || user?.role === 'admin') && (
              <li>
                <NavLink to="/dashboard">{t.nav.dashboard}</NavLink>
              </li>
            )}
          </ul>
        </nav>
        <div className="header-actions">
          <button
            type="button"
            className="link-button"
            lang={language === 'zh' ? 'en' : 'zh-CN'}
            onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
            aria-label={`${t.language.label}: ${t.language.switchTo}`}
          >
            {t.language.switchTo}
          </button>
          {user ? (
            <button
              type="button"
              className="link-button"
              onClick={() => {
                logout();
                navigate('/');
              }}
            >
              {t.nav.logout}
            </button>
          ) : (
            <NavLink to="/login">{t.nav.login}</NavLink>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
