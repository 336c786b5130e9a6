import { Badge, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { VETTING_COLOURS } from '../../format/enums';
import type { VettingRecordRowFragment, VettingStatus } from '../../gql/graphql';

export function VettingStatusBadge({ status }: { status: VettingStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="filled" color={VETTING_COLOURS[status]}>
      {t(`enums.vettingStatus.${status}`)}
    </Badge>
  );
}

/** The subject as screens show it: the name, and the document number's last characters only. */
export function subjectLabel(subject: VettingRecordRowFragment['subject']): string {
  return `${subject.fullName} · ${subject.issuingCountry} •••${subject.documentNumberEnding}`;
}

/** The issuing country of a badge or document: two letters (ISO 3166-1). */
export function IssuingCountryField({ value, onChange }: { value: string; onChange: (country: string) => void }) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('gate.country')}
      w={120}
      maxLength={2}
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
