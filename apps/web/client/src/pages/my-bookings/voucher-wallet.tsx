import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { myBookingsTexts } from './my-bookings-texts';

interface Balances {
  availableFen: number;
  reservedFen: number;
  redeemedFen: number;
  expiredFen: number;
}

interface Grant extends Balances {
  id: string;
  programName: string;
  requestedFen: number;
  approvedFen?: number;
  status: string;
  expiresAt: string;
}

interface Wallet {
  totals: Balances;
  grants: Grant[];
}

/**
 * The caller's innovation vouchers (their firm's, or their own as an individual): each grant with its
 * balances and expiry, and the totals. hideWhenEmpty: nothing at all unless there is a grant.
 */
export function VoucherWallet({ hideWhenEmpty = false }: { hideWhenEmpty?: boolean }) {
  const { t, language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  const { token } = useSession();
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    api<Wallet>('booking', '/vouchers/wallet', { token, signal: controller.signal })
      .then(setWallet)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
  }, [token, t, language]);
  const yuan = (fen: number) => formatYuan(fen, language);
  if (hideWhenEmpty && !error && (!wallet || wallet.grants.length === 0)) return null;
  const date = (iso: string) => new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(new Date(iso));
  return (
    <section className="bookings-box" aria-labelledby="bookings-wallet-title">
      <h2 id="bookings-wallet-title">{texts.walletTitle}</h2>
      <ErrorMessage text={error} />
      {!wallet && !error && <Loading />}
      {wallet && wallet.grants.length === 0 && <p>{texts.walletNone}</p>}
      {wallet && wallet.grants.length > 0 && (
        <>
          <dl className="bookings-totals">
            <div>
              <dt>{texts.available}</dt>
              <dd>{yuan(wallet.totals.availableFen)}</dd>
            </div>
            <div>
              <dt>{texts.reserved}</dt>
              <dd>{yuan(wallet.totals.reservedFen)}</dd>
            </div>
            <div>
              <dt>{texts.redeemed}</dt>
              <dd>{yuan(wallet.totals.redeemedFen)}</dd>
            </div>
            <div>
              <dt>{texts.expired}</dt>
              <dd>{yuan(wallet.totals.expiredFen)}</dd>
            </div>
          </dl>
          <ul className="bookings-grants">
            {wallet.grants.map((grant) => (
              <li key={grant.id}>
                {/* A program's name is the bureau's proper name: shown as issued, in any language. */}
                <h3 translate="no">{grant.programName}</h3>
                <p>
                  {texts.approved}: <strong>{yuan(grant.approvedFen ?? grant.requestedFen)}</strong> · {texts.grantStatus[grant.status] ?? grant.status}
                </p>
                <p>
                  {texts.available} {yuan(grant.availableFen)} · {texts.reserved} {yuan(grant.reservedFen)} · {texts.redeemed} {yuan(grant.redeemedFen)}
                  {grant.expiredFen > 0 ? ` · ${texts.expired} ${yuan(grant.expiredFen)}` : ''}
                </p>
                <p className="hint">
                  {texts.expires} {date(grant.expiresAt)}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
