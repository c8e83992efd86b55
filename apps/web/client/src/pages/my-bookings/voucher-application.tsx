import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan, parseYuanToFen } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { randomKey } from '../../shared/random-key';
import { myBookingsTexts } from './my-bookings-texts';

interface OpenProgram {
  id: string;
  name: string;
  applicationCapFen: number;
  allowsIndividuals: boolean;
}

/**
 * Applying for innovation vouchers: one button until asked for, so the page stays quiet for the many
 * who never apply; then a form over the programs taking applications. onApplied: the wallet reloads.
 */
export function VoucherApplication({ onApplied }: { onApplied(): void }) {
  const texts = useTexts(myBookingsTexts);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <div className="bookings-apply">
      <p role="status" className={notice ? 'success bookings-notice' : 'bookings-notice'}>
        {notice}
      </p>
      <button
        type="button"
        className="secondary"
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setNotice(null);
        }}
      >
        {open ? texts.applyCancel : texts.applyOpen}
      </button>
      {open && (
        <ApplicationForm
          onApplied={(done) => {
            setOpen(false);
            setNotice(done);
            onApplied();
          }}
        />
      )}
    </div>
  );
}

function ApplicationForm({ onApplied }: { onApplied(notice: string): void }) {
  const { t, language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  const { token, user } = useSession();
  const [programs, setPrograms] = useState<OpenProgram[] | null>(null);
  const [programId, setProgramId] = useState('');
  const [amount, setAmount] = useState('');
  const [purpose, setPurpose] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per attempt: the same application sent again (a double click, a retry after a lost answer) applies once.
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const titleId = useId();

  useEffect(() => {
    const controller = new AbortController();
    api<OpenProgram[]>('booking', '/voucher-programs', { token, signal: controller.signal })
      .then((open) => {
        setPrograms(open);
        // A researcher applies as an individual: preselect a program that admits them.
        const fitting = user?.role === 'researcher' ? open.find((program) => program.allowsIndividuals) : open[0];
        setProgramId((fitting ?? open[0])?.id ?? '');
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // Loaded once per opening; the texts of a refusal follow the language when it is shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);

  const chosen = programs?.find((program) => program.id === programId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const amountFen = parseYuanToFen(amount);
    if (amountFen === null) {
      setError(texts.amountInvalid);
      return;
    }
    if (busy || !chosen) return;
    const body = { programId: chosen.id, amountFen, ...(purpose.trim() && { purpose: purpose.trim() }) };
    const json = JSON.stringify(body);
    if (attempt.current?.body !== json) attempt.current = { body: json, key: randomKey() };
    setBusy(true);
    setError(null);
    try {
      await api('booking', '/voucher-grants', { method: 'POST', token, body, headers: { 'Idempotency-Key': attempt.current.key } });
      attempt.current = null;
      onApplied(texts.applied(formatYuan(amountFen, language)));
    } catch (caught) {
      // A refusal (4xx) frees the key for a changed form; a lost answer or a server error keeps it,
      // since the application may have been made: the retry must not apply twice.
      if (caught instanceof ApiError && caught.status >= 400 && caught.status < 500) attempt.current = null;
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="bookings-panel" onSubmit={submit} aria-labelledby={titleId} noValidate>
      <h3 id={titleId}>{texts.applyTitle}</h3>
      {!programs && !error && <Loading />}
      {programs && programs.length === 0 && <p>{texts.noOpenPrograms}</p>}
      {programs && programs.length > 0 && (
        <>
          <label>
            {texts.applyProgram}
            <select value={programId} required onChange={(event) => setProgramId(event.target.value)}>
              {programs.map((program) => (
                <option key={program.id} value={program.id}>
                  {texts.programOption(program.name, program.allowsIndividuals)}
                </option>
              ))}
            </select>
          </label>
          {chosen && <p className="hint">{texts.programTerms(formatYuan(chosen.applicationCapFen, language), chosen.allowsIndividuals)}</p>}
          <label>
            {texts.applyAmount}
            <input inputMode="decimal" autoComplete="off" value={amount} required onChange={(event) => setAmount(event.target.value)} />
          </label>
          <label>
            {texts.applyPurpose}
            <textarea value={purpose} maxLength={2000} rows={3} onChange={(event) => setPurpose(event.target.value)} />
          </label>
          <button type="submit" disabled={busy}>
            {texts.applySubmit}
          </button>
        </>
      )}
      <ErrorMessage text={error} />
    </form>
  );
}
