import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from './DateField';

/** A day range as a filter gives it to the server: from the first day's start to the last day's end (UTC). */
export const period = (from: string, to: string) => ({
  from: from ? `${from}T00:00:00Z` : null,
  to: to ? `${to}T23:59:59Z` : null,
});

/** Runs an export once at a time, keeping its failure to show. */
export function useExport(work: () => Promise<void>) {
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const start = async () => {
    setExporting(true);
    setExportError(null);
    try {
      await work();
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(false);
    }
  };
  return { exporting, exportError, start: () => void start() };
}

/** The end of a log's filter form: the period, Apply, and the export of everything the filter selects. */
export function PeriodExport({
  from,
  to,
  onChange,
  exporting,
  onExport,
  exportLabel,
}: {
  from: string;
  to: string;
  onChange: (range: { from: string; to: string }) => void;
  exporting: boolean;
  onExport: () => void;
  exportLabel: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <DateField label={t('audit.from')} value={from} onChange={(v) => onChange({ from: v, to })} />
      <DateField label={t('audit.to')} value={to} onChange={(v) => onChange({ from, to: v })} />
      <Button type="submit">{t('audit.apply')}</Button>
      <Button variant="default" loading={exporting} onClick={onExport}>
        {exportLabel}
      </Button>
    </>
  );
}
