import { useId } from 'react';
import type { ReactNode } from 'react';
import { errorText } from '../../api/error-text';
import { useI18n } from '../../i18n/i18n';
import { ErrorMessage } from '../../shared/error-message';
import { Loading } from '../../shared/loading';
import type { ApiData } from './use-api-data';

/** Loading, an error in words with a retry, or the content. */
export function Loaded<T>({ state, children }: { state: ApiData<T>; children: (data: T) => ReactNode }) {
  const { t, language } = useI18n();
  if (state.error)
    return (
      <div>
        <ErrorMessage text={errorText(state.error, t, language)} />
        <button type="button" className="secondary" onClick={state.reload}>
          {t.common.retry}
        </button>
      </div>
    );
  if (!state.data) return <Loading />;
  return <div aria-busy={state.loading}>{children(state.data)}</div>;
}

/** One goal: the figure reached, the target, and a progress bar. */
export function GoalCard({ title, figure, detail, progress, percentText }: { title: string; figure: string; detail?: string; progress: number; percentText: string }) {
  const id = useId();
  return (
    <section className="dashboard-goal" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <p className="dashboard-goal-figure">{figure}</p>
      <progress max={1} value={Math.min(progress, 1)} aria-labelledby={id} />
      <p className="dashboard-goal-percent">{percentText}</p>
      {detail && <p className="muted">{detail}</p>}
    </section>
  );
}

/** A select with its label above it. */
export function Choice({ label, value, onChange, options }: { label: string; value: string; onChange(value: string): void; options: { value: string; label: string }[] }) {
  const id = useId();
  return (
    <div className="dashboard-choice">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Progress to two decimals of a percent (the goals are large; early progress is small). */
export function percentOf(progress: number): string {
  const percent = progress * 100;
  // 55,000 yuan of 2 billion is 0.0028 %: shown with two significant digits rather than as 0.00 %.
  return percent > 0 && percent < 0.01 ? `${percent.toPrecision(2)}%` : `${percent.toFixed(2)}%`;
}

/** A table of figures: column heads, body rows, an optional footer; scrolls sideways on a phone. */
export function DataTable({ heads, labelledBy, children, foot }: { heads: string[]; labelledBy: string; children: ReactNode; foot?: ReactNode }) {
  return (
    <div className="dashboard-table-wrap">
      <table className="dashboard-table" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {heads.map((head) => (
              <th scope="col" key={head}>
                {head}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
        {foot && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}
