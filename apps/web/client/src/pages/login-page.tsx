import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/api-client';
import { errorText } from '../api/error-text';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorMessage } from '../shared/error-message';

export function LoginPage() {
  const { t, language } = useI18n();
  const { login } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate((location.state as { from?: string } | null)?.from ?? '/');
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? t.login.failed : errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="narrow">
      <h1>{t.login.title}</h1>
      <form onSubmit={submit} className="stack">
        <label>
          {t.login.email}
          <input type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          {t.login.password}
          <input type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        <ErrorMessage text={error} />
        <button type="submit" disabled={busy}>
          {t.login.submit}
        </button>
        <p className="hint">{t.login.demoHint}</p>
      </form>
    </section>
  );
}
