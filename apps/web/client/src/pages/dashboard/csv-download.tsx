import { useState } from 'react';
import { ApiError, apiUrl } from '../../api/api-client';
import type { RequestOptions, Service } from '../../api/api-client';
import { errorText } from '../../api/error-text';
import { useI18n, useTexts } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { dashboardTexts } from './dashboard-texts';

/**
 * A CSV export of a statistics view (?format=csv). The endpoints need the bearer token, so a plain
 * link cannot carry it: the file is fetched with the token and saved from a Blob.
 */
export function CsvDownload({ service, path, query, label }: { service: Service; path: string; query: RequestOptions['query']; label: string }) {
  const { token } = useSession();
  const { t, language } = useI18n();
  const texts = useTexts(dashboardTexts);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch(apiUrl(service, path, { ...query, format: 'csv' }), { headers: { authorization: `Bearer ${token}`, accept: 'text/csv' } });
      if (!response.ok) {
        const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
        throw new ApiError(response.status, body.code ?? `HTTP_${response.status}`, body.message ?? response.statusText);
      }
      const blob = await response.blob();
      const filename = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export.csv';
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setProblem(errorText(error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)), t, language));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="dashboard-csv">
      <button type="button" className="secondary" onClick={download} disabled={busy} aria-busy={busy}>
        {busy ? texts.csv.downloading : label}
      </button>
      {problem && (
        <span className="error" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
