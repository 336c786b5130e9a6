import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { gradingCode, SEVERITY_COLOURS } from '../format/enums';
import type {
  BulletinStatus,
  InformationCredibility,
  Severity,
  SourceReliability,
  Tlp as TlpLevel,
} from '../gql/graphql';
import { Tlp } from './Tlp';

/** TLP label, source grading, severity and (when not live) status: what a reader weighs first. */
export function BulletinBadges({
  b,
}: {
  b: {
    tlp: TlpLevel;
    severity: Severity;
    status: BulletinStatus;
    sourceReliability?: SourceReliability;
    informationCredibility?: InformationCredibility;
  };
}) {
  const { t } = useTranslation();
  const { tlp, severity, status, sourceReliability: reliability, informationCredibility: credibility } = b;
  return (
    <Group gap="xs" wrap="wrap">
      <Tlp level={tlp} />
      {reliability && credibility && (
        <Badge
          color="dark"
          variant="outline"
          title={`${t(`enums.reliability.${reliability}`)} · ${t(`enums.credibility.${credibility}`)}`}
        >
          {t('bulletin.grading', { code: gradingCode(reliability, credibility) })}
        </Badge>
      )}
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
