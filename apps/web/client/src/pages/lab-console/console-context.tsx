import { createContext, useContext } from 'react';
import { useSearchParams } from 'react-router';
import type { InstrumentSummary } from '../../api/catalog-types';
import { useI18n, useTexts } from '../../i18n/i18n';
import { labTexts } from './lab-console-texts';

export interface Console {
  institutionId: string;
  instruments: InstrumentSummary[];
}

export const ConsoleContext = createContext<Console | null>(null);

/** The institution managed and its instruments, for every section of the console. */
export function useConsole(): Console {
  const context = useContext(ConsoleContext);
  if (!context) throw new Error('useConsole outside the lab console');
  return context;
}

/** The instrument a section works on, kept in the address (?instrument=) so a reload or a shared link keeps it. */
export function useSelectedInstrument(): [string, (id: string) => void] {
  const { instruments } = useConsole();
  const [params, setParams] = useSearchParams();
  const chosen = params.get('instrument');
  const id = chosen && instruments.some((instrument) => instrument.id === chosen) ? chosen : instruments[0].id;
  return [
    id,
    (next) => {
      const changed = new URLSearchParams(params);
      changed.set('instrument', next);
      setParams(changed, { replace: true });
    },
  ];
}

export function InstrumentPicker({ value, onChange }: { value: string; onChange(id: string): void }) {
  const { language } = useI18n();
  const texts = useTexts(labTexts);
  const { instruments } = useConsole();
  return (
    <label className="lab-picker">
      {texts.instrument}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {instruments.map((instrument) => (
          <option key={instrument.id} value={instrument.id}>
            {language === 'en' && instrument.nameEn ? instrument.nameEn : instrument.nameZh}
            {instrument.model ? ` · ${instrument.model}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
