import { useQuery } from '@apollo/client/react';
import { Button, List, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { MemberAlertSubscriptionsDocument } from '../../gql/graphql';
import { useConnection } from '../../session/useConnection';

function Subscriptions({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const { data, error } = useQuery(MemberAlertSubscriptionsDocument, {
    variables: { userId },
    fetchPolicy: 'network-only',
  });
  const { nodes: subscriptions } = useConnection(data?.alertSubscriptions);
  if (error) return <ErrorNotice error={error} />;
  if (!data) return <Loading />;
  if (!subscriptions.length) return <Text>{t('members.noAlerts')}</Text>;
  return (
    <List>
      {subscriptions.map((s) => (
        <List.Item key={s.id}>
          {s.name} · {s.channels.map((c) => t(`enums.channel.${c}`)).join(', ')} · {t(`enums.mode.${s.mode}`)}
        </List.Item>
      ))}
    </List>
  );
}

/** Organisation admins: which alerts a member gets (to tell why someone missed one). */
export function MemberAlerts({ userId, name }: { userId: string; name: string }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure();
  return (
    <>
      <Button size="xs" variant="default" onClick={open} aria-label={t('members.alertsOf', { name })}>
        {t('members.alerts')}
      </Button>
      <Dialog opened={opened} onClose={close} title={t('members.alertsOf', { name })}>
        {opened && <Subscriptions userId={userId} />}
      </Dialog>
    </>
  );
}
