import { Badge } from '@mantine/core';
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
