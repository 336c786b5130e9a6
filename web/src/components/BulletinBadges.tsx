import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SEVERITY_COLOURS } from '../format/enums';
import type { BulletinStatus, Severity, Tlp as TlpLevel } from '../gql/graphql';
import { Tlp } from './Tlp';

/** TLP label, severity and (when not live) status: what a reader weighs first. */
export function BulletinBadges({
  tlp,
  severity,
  status,
}: {
  tlp: TlpLevel;
  severity: Severity;
  status: BulletinStatus;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" wrap="wrap">
      <Tlp level={tlp} />
      <Badge color={SEVERITY_COLOURS[severity]} variant="filled">
        {t(`enums.severity.${severity}`)}
      </Badge>
      {status !== 'PUBLISHED' && (
        <Badge color={status === 'RETRACTED' ? 'red' : 'gray'} variant="outline">
          {t(`enums.status.${status}`)}
        </Badge>
      )}
    </Group>
  );
}
