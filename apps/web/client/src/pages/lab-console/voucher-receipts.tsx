import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan, localDate } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { labTexts } from './lab-console-texts';

interface ProgramReceipts {
  programId: string;
  programName: string;
  receivedFen: number;
  claimedFen: number;
  paidFen: number;
  unclaimedFen: number;
}

interface Receipt {
  bookingId: string;
  instrumentName: string;
  programName: string;
  /** The firm's name, or the individual's. */
  holderName: string;
  start: string;
  finalFeeFen?: number;
  amountFen: number;
  claimId?: string;
}

interface Claim {
  id: string;
  programName: string;
  from: string;
  to: string;
  amountFen: number;
  itemCount: number;
  status: string;
  decisionReason?: string;
}

const ZONE = 'Asia/Shanghai';

/** What the institution received by voucher per program, each service, and claims to the bureau. */
export function VoucherReceipts() {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const [receipts, setReceipts] = useState<{ programs: ProgramReceipts[]; receipts: Receipt[] } | null>(null);
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);
  const today = localDate(new Date(), ZONE);
  const [form, setForm] = useState({ programId: '', from: `${today.slice(0, 4)}-01-01`, to: today });

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([
      api<{ programs: ProgramReceipts[]; receipts: Receipt[] }>('booking', '/voucher-receipts', { token, signal: controller.signal }),
      api<Claim[]>('booking', '/voucher-claims', { token, signal: controller.signal }),
    ])
      .then(([answer, claimList]) => {
        setReceipts(answer);
        setClaims(claimList);
        setForm((current) => ({ ...current, programId: current.programId || answer.programs.find((program) => program.unclaimedFen > 0)?.programId || answer.programs[0]?.programId || '' }));
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, reloads]);

  async function claim(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = await api<Claim>('booking', '/voucher-claims', { method: 'POST', token, body: form });
      setNotice(texts.claimSubmitted(formatYuan(answer.amountFen, language), answer.itemCount));
      setReloads(reloads + 1);
    } catch (caught) {
      setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  const yuan = (fen: number) => formatYuan(fen, language);
  const day = (iso: string) => localDate(new Date(iso), ZONE);
  return (
    <section aria-labelledby="lab-vouchers-title">
      <h2 id="lab-vouchers-title">{texts.vouchersTitle}</h2>
      <ErrorMessage text={error} />
      {!receipts && !error && <Loading />}
      {receipts && receipts.programs.length === 0 && <p>{texts.receiptsNone}</p>}
      {receipts && receipts.programs.length > 0 && (
        <>
          <div className="lab-table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{texts.programName}</th>
                  <th scope="col">{texts.received}</th>
                  <th scope="col">{texts.claimed}</th>
                  <th scope="col">{texts.paid}</th>
                  <th scope="col">{texts.unclaimed}</th>
                </tr>
              </thead>
              <tbody>
                {receipts.programs.map((program) => (
                  <tr key={program.programId}>
                    <th scope="row">{program.programName}</th>
                    <td>{yuan(program.receivedFen)}</td>
                    <td>{yuan(program.claimedFen)}</td>
                    <td>{yuan(program.paidFen)}</td>
                    <td>{yuan(program.unclaimedFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form className="lab-form lab-box" onSubmit={claim}>
            <h3>{texts.claimTitle}</h3>
            <label>
              {texts.programName}
              <select value={form.programId} onChange={(event) => setForm({ ...form, programId: event.target.value })}>
                {receipts.programs.map((program) => (
                  <option key={program.programId} value={program.programId}>
                    {program.programName} ({texts.unclaimed} {yuan(program.unclaimedFen)})
                  </option>
                ))}
              </select>
            </label>
            <div className="lab-pair">
              <label>
                {texts.from}
                <input type="date" value={form.from} required onChange={(event) => setForm({ ...form, from: event.target.value })} />
              </label>
              <label>
                {texts.to}
                <input type="date" value={form.to} min={form.from} required onChange={(event) => setForm({ ...form, to: event.target.value })} />
              </label>
            </div>
            <button type="submit" disabled={busy || !form.programId}>
              {texts.submitClaim}
            </button>
            {notice && (
              <p role="status" className="success">
                {notice}
              </p>
            )}
          </form>
          <h3>{texts.receiptsList}</h3>
          <div className="lab-table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{texts.serviceDate}</th>
                  <th scope="col">{texts.instrument}</th>
                  <th scope="col">{texts.voucherHolder}</th>
                  <th scope="col">{texts.programName}</th>
                  <th scope="col">{texts.finalFee}</th>
                  <th scope="col">{texts.voucherPaid}</th>
                </tr>
              </thead>
              <tbody>
                {receipts.receipts.map((receipt) => (
                  <tr key={receipt.bookingId}>
                    <td>{day(receipt.start)}</td>
                    <td>{receipt.instrumentName}</td>
                    <td translate="no">{receipt.holderName}</td>
                    <td>{receipt.programName}</td>
                    <td>{receipt.finalFeeFen === undefined ? '—' : yuan(receipt.finalFeeFen)}</td>
                    <td>
                      {yuan(receipt.amountFen)}
                      {receipt.claimId ? ` (${texts.inClaim})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <h3>{texts.claimsTitle}</h3>
      {claims && claims.length === 0 && <p>{texts.claimsNone}</p>}
      {claims && claims.length > 0 && (
        <ul className="lab-items">
          {claims.map((item) => (
            <li key={item.id}>
              <span>
                {item.programName} · {item.from} – {item.to} · {yuan(item.amountFen)} ({item.itemCount}) · {texts.claimStatus[item.status] ?? item.status}
                {item.decisionReason ? ` · ${item.decisionReason}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
