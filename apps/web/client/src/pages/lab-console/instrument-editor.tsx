import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { localName, useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ErrorMessage } from '../../shared/error-message';
import { formatYuan } from '../../shared/format';
import { Loading } from '../../shared/loading';
import { InstrumentPicker, useConsole, useSelectedInstrument } from './console-context';
import { labTexts } from './lab-console-texts';

interface FeeLine {
  unit: 'hour' | 'sample' | 'day' | 'run';
  internalRateFen: number;
  externalRateFen: number;
  description: string;
}

interface InstrumentRecord {
  id: string;
  nameZh: string;
  nameEn: string | null;
  model: string | null;
  manufacturer: string | null;
  specs: string;
  functions: string;
  serviceContent: string;
  sharingRules: string;
  condition: string;
  fees: FeeLine[];
  contact: { name: string; phone: string; email: string } | null;
  version: number;
}

const CONDITIONS = ['normal', 'occasional_faults', 'frequent_faults', 'under_repair', 'idle', 'scrapped'];

/** The institution's instruments, and the catalog record of one, edited with its version (a stale version is explained). */
export function InstrumentEditor() {
  const { t, language } = useI18n();
  const texts = useTexts(labTexts);
  const { token } = useSession();
  const { instruments } = useConsole();
  const [instrumentId, setInstrumentId] = useSelectedInstrument();
  const [record, setRecord] = useState<InstrumentRecord | null>(null);
  const [draft, setDraft] = useState<InstrumentRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setRecord(null);
    setConflict(false);
    api<InstrumentRecord>('catalog', `/instruments/${instrumentId}`, { token, signal: controller.signal })
      .then((answer) => {
        setRecord(answer);
        setDraft(answer);
        setError(null);
      })
      .catch((caught) => {
        if ((caught as Error).name !== 'AbortError') setError(errorText(caught, t, language));
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [instrumentId, token, reloads]);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!draft || !record) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    setConflict(false);
    try {
      const saved = await api<InstrumentRecord>('catalog', `/instruments/${record.id}`, {
        method: 'PATCH',
        token,
        body: {
          version: record.version,
          nameZh: draft.nameZh,
          ...(draft.nameEn ? { nameEn: draft.nameEn } : {}),
          ...(draft.model ? { model: draft.model } : {}),
          ...(draft.manufacturer ? { manufacturer: draft.manufacturer } : {}),
          specs: draft.specs,
          functions: draft.functions,
          serviceContent: draft.serviceContent,
          sharingRules: draft.sharingRules,
          condition: draft.condition,
          fees: draft.fees,
          ...(draft.contact ? { contact: draft.contact } : {}),
        },
      });
      setRecord(saved);
      setDraft(saved);
      setNotice(texts.instrumentSaved(saved.version));
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'VERSION_CONFLICT') setConflict(true);
      else setError(errorText(caught, t, language));
    } finally {
      setBusy(false);
    }
  }

  const text = (key: 'nameZh' | 'nameEn' | 'model' | 'manufacturer', label: string, required = false) => (
    <label>
      {label}
      <input value={draft?.[key] ?? ''} required={required} onChange={(event) => setDraft({ ...draft!, [key]: event.target.value })} />
    </label>
  );
  const area = (key: 'specs' | 'functions' | 'serviceContent' | 'sharingRules', label: string) => (
    <label>
      {label}
      <textarea rows={3} value={draft?.[key] ?? ''} onChange={(event) => setDraft({ ...draft!, [key]: event.target.value })} />
    </label>
  );
  const setFee = (index: number, patch: Partial<FeeLine>) => setDraft({ ...draft!, fees: draft!.fees.map((fee, at) => (at === index ? { ...fee, ...patch } : fee)) });
  const toFen = (value: string) => Math.round(Number(value) * 100);

  return (
    <section aria-labelledby="lab-instruments-title">
      <h2 id="lab-instruments-title">{texts.instrumentsTitle}</h2>
      <p className="muted">{texts.instrumentsCount(instruments.length)}</p>
      <details className="lab-box">
        <summary>{texts.instrumentsCount(instruments.length)}</summary>
        <ul className="lab-items">
          {instruments.map((instrument) => (
            <li key={instrument.id}>
              <span>
                <Link to={`/instruments/${instrument.id}`}>{localName(language, instrument)}</Link> · {texts.sharing[instrument.sharingMode] ?? instrument.sharingMode}
                {instrument.price ? ` · ${formatYuan(instrument.price.externalRateFen, language)}${t.price.per(t.units[instrument.price.unit])}` : ''}
              </span>
              <button type="button" className="secondary lab-small" onClick={() => setInstrumentId(instrument.id)}>
                {texts.edit}
              </button>
            </li>
          ))}
        </ul>
      </details>
      <InstrumentPicker value={instrumentId} onChange={setInstrumentId} />
      {!record && !error && <Loading />}
      {conflict && (
        <div role="alert" className="lab-affected">
          <p className="error">{texts.versionConflict}</p>
          <button type="button" onClick={() => setReloads(reloads + 1)}>
            {texts.reload}
          </button>
        </div>
      )}
      {record && draft && (
        <form className="lab-form lab-box" onSubmit={save}>
          <p className="muted">{texts.version(record.version)}</p>
          <div className="lab-pair">
            {text('nameZh', texts.nameZh, true)}
            {text('nameEn', texts.nameEn)}
          </div>
          <div className="lab-pair">
            {text('model', texts.model)}
            {text('manufacturer', texts.manufacturer)}
          </div>
          <label>
            {texts.condition}
            <select value={draft.condition} onChange={(event) => setDraft({ ...draft, condition: event.target.value })}>
              {CONDITIONS.map((condition) => (
                <option key={condition} value={condition}>
                  {texts.conditions[condition]}
                </option>
              ))}
            </select>
          </label>
          {area('specs', texts.specs)}
          {area('functions', texts.functions)}
          {area('serviceContent', texts.serviceContent)}
          {area('sharingRules', texts.sharingRules)}
          <fieldset className="lab-fieldset">
            <legend>{texts.fees}</legend>
            {draft.fees.map((fee, index) => (
              <div className="lab-pair" key={index}>
                <label>
                  {texts.feeUnit}
                  <select value={fee.unit} onChange={(event) => setFee(index, { unit: event.target.value as FeeLine['unit'] })}>
                    {(['hour', 'sample', 'day', 'run'] as const).map((unit) => (
                      <option key={unit} value={unit}>
                        {t.units[unit]}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {texts.internalRate}
                  <input type="number" min={0} step={0.01} value={fee.internalRateFen / 100} onChange={(event) => setFee(index, { internalRateFen: toFen(event.target.value) })} />
                </label>
                <label>
                  {texts.externalRate}
                  <input type="number" min={0} step={0.01} value={fee.externalRateFen / 100} onChange={(event) => setFee(index, { externalRateFen: toFen(event.target.value) })} />
                </label>
              </div>
            ))}
          </fieldset>
          {draft.contact && (
            <div className="lab-pair">
              <label>
                {texts.contactName}
                <input value={draft.contact.name} onChange={(event) => setDraft({ ...draft, contact: { ...draft.contact!, name: event.target.value } })} />
              </label>
              <label>
                {texts.contactPhone}
                <input value={draft.contact.phone} onChange={(event) => setDraft({ ...draft, contact: { ...draft.contact!, phone: event.target.value } })} />
              </label>
              <label>
                {texts.contactEmail}
                <input type="email" value={draft.contact.email} onChange={(event) => setDraft({ ...draft, contact: { ...draft.contact!, email: event.target.value } })} />
              </label>
            </div>
          )}
          <button type="submit" disabled={busy}>
            {texts.saveInstrument}
          </button>
          {notice && (
            <p role="status" className="success">
              {notice}
            </p>
          )}
        </form>
      )}
      <ErrorMessage text={error} />
    </section>
  );
}
