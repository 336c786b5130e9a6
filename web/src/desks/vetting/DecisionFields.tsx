import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ADVERSE_VETTING_STATUSES, CLEARANCE_VETTING_STATUSES, options, VETTING_REASONS } from '../../format/enums';
import type { VettingReasonCode, VettingStatus } from '../../gql/graphql';
import { DateField } from '../../components/DateField';

/** A date field's value (YYYY-MM-DD) as the end of that day, UTC: a clearance is valid through it. */
export const endOfDay = (value: string) => `${value}T23:59:59Z`;

/** A status, with the reason code an adverse one needs and the validity end a clearance needs. */
export function DecisionFields({
  statuses,
  status,
  onStatus,
  reason,
  onReason,
  validUntil,
  onValidUntil,
}: {
  statuses: VettingStatus[];
  status: VettingStatus | null;
  onStatus: (s: VettingStatus) => void;
  reason: VettingReasonCode | null;
  onReason: (r: VettingReasonCode) => void;
  validUntil?: string;
  onValidUntil?: (v: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Select
        label={t('vetting.status')}
        required
        allowDeselect={false}
        data={options(t, 'vettingStatus', statuses)}
        value={status}
        onChange={(v) => v && onStatus(v as VettingStatus)}
      />
      {status && ADVERSE_VETTING_STATUSES.includes(status) && (
        <Select
          label={t('vetting.reason')}
          description={t('vetting.restrictedHelp')}
          required
          allowDeselect={false}
          data={options(t, 'vettingReason', VETTING_REASONS)}
          value={reason}
          onChange={(v) => v && onReason(v as VettingReasonCode)}
        />
      )}
      {status && onValidUntil && CLEARANCE_VETTING_STATUSES.includes(status) && (
        <DateField label={t('vetting.validUntilField')} required value={validUntil ?? ''} onChange={onValidUntil} />
      )}
    </>
  );
}
