import { useEffect, useState } from 'react';
import { api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { myBookingsTexts } from './my-bookings-texts';
import { VoucherApplication } from './voucher-application';

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
  decisionReason?: string;
  expiresAt: string;
}

interface Wallet {
  totals: Balances;
  grants: Grant[];
}

/**
 * The caller's innovation vouchers (their firm's, or their own as an individual): each grant with its
 * balances and expiry, the applications under review or refused, the totals, and the way to apply.
 * hideWhenEmpty: without a grant or an application, only the button to apply.
 */
export function VoucherWallet({ hideWhenEmpty = false }: { hideWhenEmpty?: boolean }) {
  const { t, language } = useI18n();
  const texts = useTexts(myBookingsTexts);
  const { token } = useSession();
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    api<Wallet>('booking', '/vouchers/wallet', { token, signal: controller.signal })
      .then(setWallet)
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
  }, [token, t, language, reloads]);
  const yuan = (fen: number) => formatYuan(fen, language);
  if (hideWhenEmpty && !error && !wallet) return null;
  // Only the button to apply: the same section either way, so the form's notice survives the wallet's first application.
  const onlyApply = hideWhenEmpty && !error && wallet?.grants.length === 0;
  const date = (iso: string) => new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(new Date(iso));
  return (
    <section className="bookings-box" aria-labelledby={onlyApply ? undefined : 'bookings-wallet-title'}>
      {!onlyApply && <h2 id="bookings-wallet-title">{texts.walletTitle}</h2>}
      <ErrorMessage text={error} />
      {!wallet && !error && <Loading />}
      {wallet && wallet.grants.length === 0 && !onlyApply && <p>{texts.walletNone}</p>}
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
                {grant.status === 'approved' ? (
                  <>
                    <p>
                      {texts.approved}: <strong>{yuan(grant.approvedFen ?? grant.requestedFen)}</strong>
                      {grant.approvedFen !== undefined && grant.approvedFen !== grant.requestedFen ? texts.requestedAlso(yuan(grant.requestedFen)) : ''} · {texts.grantStatus.approved}
                    </p>
                    <p>
                      {texts.available} {yuan(grant.availableFen)} · {texts.reserved} {yuan(grant.reservedFen)} · {texts.redeemed} {yuan(grant.redeemedFen)}
                      {grant.expiredFen > 0 ? ` · ${texts.expired} ${yuan(grant.expiredFen)}` : ''}
                    </p>
                    <p className="hint">
                      {texts.expires} {date(grant.expiresAt)}
                    </p>
                  </>
                ) : (
                  // An application under review or refused holds no quota: what was asked, and the bureau's reason.
                  <p>
                    {texts.requested}: <strong>{yuan(grant.requestedFen)}</strong> · {texts.grantStatus[grant.status] ?? grant.status}
                  </p>
                )}
                {grant.decisionReason && (
                  <p className="hint">
                    {texts.grantDecisionReason}: {grant.decisionReason}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <VoucherApplication onApplied={() => setReloads((count) => count + 1)} />
    </section>
  );
}
