import { useI18n } from '../../i18n/i18n';

/** Placeholder until the page is built. */
export default function LabConsolePage() {
  const { t } = useI18n();
  return <p>{t.common.loading}</p>;
}
