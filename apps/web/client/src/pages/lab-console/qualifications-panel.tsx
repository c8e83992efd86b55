import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { Loading } from '../../shared/loading';
import { zonedInstant } from '../my-bookings/booking-shared';
import type { BookingPage } from '../my-bookings/booking-shared';
import { InstrumentPicker, useSelectedInstrument } from './console-context';
import { labTexts } from './lab-console-texts';

interface Qualification {
  id: string;
  userId: string;
  validUntil: string;
  grantedAt: string;
  revokedAt?: string;
  note: string;
}

const ZONE = 'Asia/Shanghai';

/** Who is trained on an instrument; grant (to a recent booker or a user id) and revoke. */
export function QualificationsPanel() {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [instrumentId, setInstrumentId] = useSelectedInstrument();
  const [items, setItems] = useState<Qualification[] | null>(null);
  const [bookers, setBookers] = useState<string[]>([]);
  const [reloads, setReloads] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
  const [form, setForm] = useState({ userId: '', validUntil: nextYear, note: '' });

  useEffect(() => {
    const controller = new AbortController();
    setItems(null);
    api<Qualification[]>('booking', `/instruments/${instrumentId}/qualifications`, { token, signal: controller.signal })
      .then(setItems)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    api<BookingPage>('booking', '/bookings', {
      token,
      signal: controller.signal,
      query: { instrumentId, from: new Date(Date.now() - 90 * 86_400_000).toISOString(), pageSize: 200 },
    })
      .then((page) => setBookers([...new Set(page.items.map((booking) => booking.userId).filter((id): id is string => Boolean(id)))]))
      .catch(() => setBookers([]));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [instrumentId, token, reloads]);

  async function run(action: () => Promise<unknown>, done: string) {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
      setReloads(reloads + 1);
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  function grant(event: FormEvent) {
    event.preventDefault();
    void run(
      () =>
        api('booking', `/instruments/${instrumentId}/qualifications`, {
          method: 'POST',
          token,
          body: { userId: form.userId.trim(), validUntil: zonedInstant(form.validUntil, '23:59', ZONE), ...(form.note.trim() ? { note: form.note.trim() } : {}) },
        }),
      texts.granted,
    );
  }

  const date = (iso: string) => new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: ZONE, dateStyle: 'medium' }).format(new Date(iso));
  return (
    <section aria-labelledby="lab-qualifications-title">
      <h2 id="lab-qualifications-title">{texts.qualificationsTitle}</h2>
      <InstrumentPicker value={instrumentId} onChange={setInstrumentId} />
      {!items && !error && <Loading />}
      {items && items.length === 0 && <p>{texts.qualificationsNone}</p>}
      {items && items.length > 0 && (
        <div className="lab-table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{texts.userId}</th>
                <th scope="col">{texts.grantedAt}</th>
                <th scope="col">{texts.validUntil}</th>
                <th scope="col">{texts.note}</th>
                <th scope="col">
                  <span className="visually-hidden">{texts.revoke}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td>
                    <code>{item.userId.slice(0, 8)}</code>
                  </td>
                  <td>{date(item.grantedAt)}</td>
                  <td>{date(item.validUntil)}</td>
                  <td>{item.note}</td>
                  <td>
                    {item.revokedAt ? (
                      `${texts.revoked} ${date(item.revokedAt)}`
                    ) : (
                      <button
                        type="button"
                        className="secondary lab-small"
                        disabled={busy}
                        onClick={() => run(() => api('booking', `/instruments/${instrumentId}/qualifications/${item.id}/revoke`, { method: 'POST', token }), texts.revoked)}
                      >
                        {texts.revoke}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="lab-form lab-box" onSubmit={grant}>
        <h3>{texts.grant}</h3>
        <p className="hint">{texts.userIdHint}</p>
        <label>
          {texts.userId}
          <input value={form.userId} list="lab-bookers" required pattern="[0-9a-fA-F-]{36}" onChange={(event) => setForm({ ...form, userId: event.target.value })} />
          <datalist id="lab-bookers">
            {bookers.map((id) => (
              <option key={id} value={id} label={texts.recentBookers} />
            ))}
          </datalist>
        </label>
        <label>
          {texts.validUntil}
          <input type="date" value={form.validUntil} required onChange={(event) => setForm({ ...form, validUntil: event.target.value })} />
        </label>
        <label>
          {texts.note}
          <input value={form.note} maxLength={500} onChange={(event) => setForm({ ...form, note: event.target.value })} />
        </label>
        <button type="submit" disabled={busy}>
          {texts.grant}
        </button>
      </form>
      <ErrorMessage text={error} />
      {notice && (
        <p role="status" className="success">
          {notice}
        </p>
      )}
    </section>
  );
}
