import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/api-client';
import type { EarliestSlotPage, FacetBucket, FreeSlots, InstrumentPage, InstrumentSummary } from '../api/catalog-types';
import { errorText } from '../api/error-text';
import { localName, useI18n } from '../i18n/i18n';
import { useSession } from '../session/session';
import { ErrorMessage } from '../shared/error-message';
import { formatLocal, formatYuan } from '../shared/format';
import { useDebounced } from '../shared/use-debounced';

const PAGE_SIZE = 20;
const SORTS = ['relevance', 'price_asc', 'price_desc', 'value_desc'] as const;
const DAY = 86_400_000;

/** Search with the catalog's filters and facets; results show price, institution, city and the next free hour. */
export function FindPage() {
  const { t, language } = useI18n();
  const { token } = useSession();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [result, setResult] = useState<InstrumentPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const page = Number(params.get('page') ?? '1');

  const filters = {
    category: params.get('category') ?? '',
    region: params.get('region') ?? '',
    serviceMode: params.get('serviceMode') ?? '',
    minPrice: params.get('minPrice') ?? '',
    maxPrice: params.get('maxPrice') ?? '',
    sort: params.get('sort') ?? 'relevance',
  };

  function update(changes: Record<string, string>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  }

  // Back and forward change the address: the box follows it.
  const urlText = params.get('q') ?? '';
  useEffect(() => setText(urlText), [urlText]);

  // The address changes with every keystroke (so no navigation can come after the user has left
  // the page); the search waits until it has been still for a moment.
  const query = params.toString();
  const settledQuery = useDebounced(query, 150);
  useEffect(() => {
    const settled = new URLSearchParams(settledQuery);
    const controller = new AbortController();
    setLoading(true);
    api<InstrumentPage>('catalog', '/instruments', {
      token,
      signal: controller.signal,
      query: {
        q: settled.get('q') ?? undefined,
        category: settled.get('category') ?? undefined,
        region: settled.get('region') ?? undefined,
        serviceMode: settled.get('serviceMode') ?? undefined,
        minPriceFen: settled.get('minPrice') ? Math.round(Number(settled.get('minPrice')) * 100) : undefined,
        maxPriceFen: settled.get('maxPrice') ? Math.round(Number(settled.get('maxPrice')) * 100) : undefined,
        sort: settled.get('sort') ?? 'relevance',
        page: Number(settled.get('page') ?? '1'),
        pageSize: PAGE_SIZE,
      },
    })
      .then((answer) => {
        setResult(answer);
        setError(null);
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      })
      .finally(() => setLoading(false));
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settledQuery, token, language]);
  const busy = loading || query !== settledQuery;

  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  return (
    <section className="find">
      <h1>{t.find.title}</h1>
      <form role="search" onSubmit={(event) => event.preventDefault()} className="search-bar">
        <label htmlFor="search-text" className="visually-hidden">
          {t.find.searchLabel}
        </label>
        <input
          id="search-text"
          type="search"
          value={text}
          placeholder={t.find.searchPlaceholder}
          onChange={(event) => {
            setText(event.target.value);
            update({ q: event.target.value });
          }}
          autoFocus
          aria-describedby="result-count"
        />
      </form>
      <div className="find-layout">
        <aside aria-label={t.find.filters} className="filters">
          <FacetSelect label={t.find.category} anyLabel={t.find.anyCategory} value={filters.category} buckets={result?.facets.category ?? []} onChange={(category) => update({ category })} />
          <FacetSelect
            label={filters.region && !filters.region.endsWith('0000') ? t.find.county : t.find.city}
            anyLabel={t.find.anyRegion}
            value={filters.region}
            buckets={result?.facets.region ?? []}
            onChange={(region) => update({ region })}
          />
          <label>
            {t.find.serviceMode}
            <select value={filters.serviceMode} onChange={(event) => update({ serviceMode: event.target.value })}>
              <option value="">{t.find.anyMode}</option>
              <option value="sample_submission">{t.modes.sample_submission}</option>
              <option value="self_operated">{t.modes.self_operated}</option>
            </select>
          </label>
          <PriceFilter label={t.find.minPrice} value={filters.minPrice} onCommit={(minPrice) => update({ minPrice })} />
          <PriceFilter label={t.find.maxPrice} value={filters.maxPrice} onCommit={(maxPrice) => update({ maxPrice })} />
          <label>
            {t.find.sort}
            <select value={filters.sort} onChange={(event) => update({ sort: event.target.value })}>
              {SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {t.find.sorts[sort]}
                </option>
              ))}
            </select>
          </label>
        </aside>
        <div className="results" aria-busy={busy}>
          <p id="result-count" aria-live="polite" className="result-count">
            {result ? t.find.total(result.total) : t.common.loading}
          </p>
          <ErrorMessage text={error} />
          {result && result.items.length === 0 && <p>{t.find.noResults}</p>}
          <ol className="result-list">
            {result?.items.map((instrument) => (
              <ResultItem key={instrument.id} instrument={instrument} />
            ))}
          </ol>
          {result && pages > 1 && (
            <nav className="pager" aria-label={t.find.pageOf(page, pages)}>
              <button type="button" disabled={page <= 1} onClick={() => update({ page: String(page - 1) })}>
                {t.find.previous}
              </button>
              <span>{t.find.pageOf(page, pages)}</span>
              <button type="button" disabled={page >= pages} onClick={() => update({ page: String(page + 1) })}>
                {t.find.next}
              </button>
            </nav>
          )}
        </div>
      </div>
      <EarliestSlotSearch category={filters.category} region={filters.region} serviceMode={filters.serviceMode} />
    </section>
  );
}

function FacetSelect(props: { label: string; anyLabel: string; value: string; buckets: FacetBucket[]; onChange(value: string): void }) {
  const { language } = useI18n();
  const id = useId();
  const known = props.buckets.some((bucket) => bucket.code === props.value);
  return (
    <div>
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{props.anyLabel}</option>
        {props.value && !known && <option value={props.value}>{props.value}</option>}
        {props.buckets.map((bucket) => (
          <option key={bucket.code} value={bucket.code}>
            {localName(language, bucket)} ({bucket.count})
          </option>
        ))}
      </select>
    </div>
  );
}

function PriceFilter(props: { label: string; value: string; onCommit(value: string): void }) {
  const [value, setValue] = useState(props.value);
  useEffect(() => setValue(props.value), [props.value]);
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onBlur={() => value !== props.value && props.onCommit(value)}
        onKeyDown={(event) => event.key === 'Enter' && props.onCommit(value)}
      />
    </label>
  );
}

function ResultItem({ instrument }: { instrument: InstrumentSummary }) {
  const { t, language } = useI18n();
  return (
    <li className="result-card">
      <h2>
        <Link to={`/instruments/${instrument.id}`}>{localName(language, instrument)}</Link>
      </h2>
      <p className="meta">
        {[instrument.manufacturer, instrument.model].filter(Boolean).join(' ')} · {localName(language, instrument.category)}
      </p>
      <p className="meta">
        {localName(language, instrument.institution)} · {instrument.location.cityName}
        {instrument.location.countyName ? ` ${instrument.location.countyName}` : ''}
      </p>
      <p className="price">
        {instrument.price
          ? `${formatYuan(instrument.price.externalRateFen, language)}${t.price.per(t.units[instrument.price.unit])} (${t.price.external})`
          : t.price.none}
        {' · '}
        {instrument.serviceModes.map((mode) => t.modes[mode]).join(' / ')}
      </p>
      <NextFreeSlot instrumentId={instrument.id} />
    </li>
  );
}

/** Filled in after the results render, so a slow slot query never delays the list. */
function NextFreeSlot({ instrumentId }: { instrumentId: string }) {
  const { t, language } = useI18n();
  const [slot, setSlot] = useState<FreeSlots | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const now = Date.now();
    api<FreeSlots>('booking', `/instruments/${instrumentId}/slots`, {
      signal: controller.signal,
      query: { from: new Date(now).toISOString(), to: new Date(now + 14 * DAY).toISOString(), durationMinutes: 60 },
    })
      .then(setSlot)
      .catch(() => setSlot(null));
    return () => controller.abort();
  }, [instrumentId]);
  if (!slot) return <p className="next-free muted">{t.find.loadingSlot}</p>;
  const first = slot.slots[0];
  return (
    <p className="next-free">
      {t.find.nextFree}: {first ? formatLocal(first.start, slot.timeZone, language) : t.find.nextFreeNone}
    </p>
  );
}

function EarliestSlotSearch(props: { category: string; region: string; serviceMode: string }) {
  const { t, language } = useI18n();
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(new Date(Date.now() + 14 * DAY).toISOString().slice(0, 10));
  const [hours, setHours] = useState('2');
  const [result, setResult] = useState<EarliestSlotPage | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function search(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const fromInstant = new Date(Math.max(Date.parse(`${from}T00:00:00+08:00`), Date.now()));
      setResult(
        await api<EarliestSlotPage>('booking', '/slots/search', {
          query: {
            from: fromInstant.toISOString(),
            to: new Date(`${to}T23:59:00+08:00`).toISOString(),
            durationMinutes: Math.round(Number(hours) * 60),
            category: props.category,
            region: props.region,
            serviceMode: props.serviceMode,
            pageSize: 10,
          },
        }),
      );
    } catch (caught) {
      setError(errorText(caught, t, language));
    }
  }

  return (
    <section className="earliest" aria-labelledby="earliest-title">
      <h2 id="earliest-title">{t.find.earliestTitle}</h2>
      <p className="hint">{t.find.earliestHint}</p>
      <form onSubmit={search} className="inline-form">
        <label>
          {t.find.from}
          <input type="date" value={from} min={today} onChange={(event) => setFrom(event.target.value)} required />
        </label>
        <label>
          {t.find.to}
          <input type="date" value={to} min={from} onChange={(event) => setTo(event.target.value)} required />
        </label>
        <label>
          {t.find.duration}
          <input type="number" min={0.5} max={168} step={0.5} value={hours} onChange={(event) => setHours(event.target.value)} required />
        </label>
        <button type="submit">{t.find.findEarliest}</button>
      </form>
      <ErrorMessage text={error} />
      {result && result.items.length === 0 && <p>{t.find.earliestNone}</p>}
      {result && result.items.length > 0 && (
        <ol className="earliest-list">
          {result.items.map((item) => (
            <li key={item.instrumentId}>
              <Link to={`/instruments/${item.instrumentId}?start=${encodeURIComponent(item.start)}`}>{item.instrumentNameZh}</Link> · {item.institutionNameZh} ·{' '}
              <strong>{formatLocal(item.start, item.timeZone, language)}</strong>
              {item.externalPriceFen !== null && ` · ${formatYuan(item.externalPriceFen, language)}`}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
