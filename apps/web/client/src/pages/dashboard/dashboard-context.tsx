import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { api } from '../../api/api-client';
import { useSession } from '../../session/session';
import type { StatisticsRun } from './dashboard-types';

interface DashboardState {
  /** Grows when a compile finishes, so every view loads its figures again. */
  version: number;
  run: StatisticsRun | null;
  runError: unknown;
  compile(from: string, to: string): Promise<void>;
}

const DashboardContext = createContext<DashboardState | null>(null);
const POLL_MS = 1000;

/** The compile run lives above the tabs: its progress keeps being followed while staff switch views. */
export function DashboardProvider({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const [version, setVersion] = useState(0);
  const [run, setRun] = useState<StatisticsRun | null>(null);
  const [runError, setRunError] = useState<unknown>(null);
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const follow = useCallback(
    (id: number) => {
      timer.current = window.setTimeout(async () => {
        try {
          const next = await api<StatisticsRun>('worker', `/statistics/compilations/${id}`, { token });
          setRun(next);
          if (next.state === 'done') setVersion((n) => n + 1);
          else if (next.state !== 'failed') follow(id);
        } catch (error) {
          setRunError(error);
        }
      }, POLL_MS);
    },
    [token],
  );

  const compile = useCallback(
    async (from: string, to: string) => {
      window.clearTimeout(timer.current);
      setRunError(null);
      try {
        const started = await api<StatisticsRun>('worker', '/statistics/compilations', { method: 'POST', body: { from, to }, token });
        setRun(started);
        follow(started.id);
      } catch (error) {
        setRun(null);
        setRunError(error);
      }
    },
    [token, follow],
  );

  const value = useMemo(() => ({ version, run, runError, compile }), [version, run, runError, compile]);
  return <DashboardContext.Provider value={value}>{children}</DashboardContext.Provider>;
}

export function useDashboard(): DashboardState {
  const context = useContext(DashboardContext);
  if (!context) throw new Error('useDashboard outside DashboardProvider');
  return context;
}
