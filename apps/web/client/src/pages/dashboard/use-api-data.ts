import { useCallback, useEffect, useState } from 'react';

export interface ApiData<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

interface Loaded<T> {
  key: string | null;
  data: T | null;
  error: unknown;
}

/**
 * Loads once per change of `key` (and on reload). Data and errors belong to the key they were
 * loaded for: a view never shows the previous key's rows under its new heading.
 */
export function useApiData<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): ApiData<T> {
  const [state, setState] = useState<Loaded<T>>({ key: null, data: null, error: null });
  const [pending, setPending] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setPending(true);
    load(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState({ key, data, error: null });
        setPending(false);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ key, data: null, error });
        setPending(false);
      },
    );
    return () => controller.abort();
    // load is a fresh closure each render; key names everything it depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : null, error: current ? state.error : null, loading: pending || !current, reload };
}
