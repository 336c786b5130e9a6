import { DateInput, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import localizedFormat from 'dayjs/plugin/localizedFormat';
import 'dayjs/locale/de';
import 'dayjs/locale/en-gb';
import 'dayjs/locale/es';
import 'dayjs/locale/fr';
import 'dayjs/locale/nl';
import 'dayjs/locale/nl-be';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { locale } from '../format/time';

dayjs.extend(customParseFormat);
dayjs.extend(localizedFormat);

/** The reader's regional locale as dayjs knows it (en-GB, nl-BE, fr...), else its language. */
function dayjsLocale(): string {
  const regional = locale().toLowerCase();
  const known = ['en-gb', 'nl-be', 'de', 'es', 'fr', 'nl'];
  return known.includes(regional) ? regional : (known.find((l) => l === regional.split('-')[0]) ?? 'en');
}

/**
 * A date (or, `withTime`, a date and time) written and shown in the reader's own format (17/03/1984 in
 * en-GB, 17.03.1984 in German), where a native field follows the browser's locale instead. Values stay
 * those of the native fields: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:mm` with the time; '' for none.
 */
export function DateField({
  label,
  value,
  onChange,
  withTime = false,
  required,
  description,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  withTime?: boolean;
  required?: boolean;
  description?: ReactNode;
}) {
  const { t } = useTranslation();
  const language = dayjsLocale();
  const format = withTime ? 'L LT' : 'L';
  return (
    <DatesProvider settings={{ locale: language }}>
      <DateInput
        label={label}
        description={description}
        required={required}
        clearable={!required}
        valueFormat={format}
        // Typed as shown (the locale's format), or as ISO.
        dateParser={(text) => {
          const parsed = dayjs(text, [format, 'YYYY-MM-DD HH:mm', 'YYYY-MM-DD'], language, true);
          return parsed.isValid() ? parsed.format('YYYY-MM-DD HH:mm:ss') : null;
        }}
        withTime={withTime}
        // Mantine's red weekends and greyed days of other months are below WCAG contrast: plain days only.
        weekendDays={[]}
        hideOutsideDates
        // The calendar's arrows, named for screen readers (Mantine leaves them without a name).
        ariaLabels={{
          nextMonth: t('common.calendar.nextMonth'),
          previousMonth: t('common.calendar.previousMonth'),
          nextYear: t('common.calendar.nextYear'),
          previousYear: t('common.calendar.previousYear'),
          nextDecade: t('common.calendar.nextDecade'),
          previousDecade: t('common.calendar.previousDecade'),
        }}
        value={value ? value.replace('T', ' ') : null}
        onChange={(v) => onChange(v ? (withTime ? dayjs(v).format('YYYY-MM-DDTHH:mm') : v.slice(0, 10)) : '')}
      />
    </DatesProvider>
  );
}
