import { useMutation, useQuery } from '@apollo/client/react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import { options, ORGANISATION_TYPES } from '../../format/enums';
import {
  CreateOrganisationDocument,
  OrganisationsDeskDocument,
  type OrganisationType,
  ReinstateOrganisationDocument,
  SuspendOrganisationDocument,
  ViewerDocument,
} from '../../gql/graphql';
import { InvitationList } from '../members/InvitationList';
import { useConnection } from '../../session/useConnection';

function CreateOrganisation({ onCreated }: { onCreated: (created: { id: string; name: string }) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [type, setType] = useState<OrganisationType>('TERMINAL_OPERATOR');
  const [ports, setPorts] = useState<string[]>([]);
  const [create, creating] = useMutation(CreateOrganisationDocument);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void create({ variables: { input: { name, type, ports } } })
      .then((r) => {
        setName('');
        setPorts([]);
        if (r.data) onCreated(r.data.createOrganisation);
      })
      .catch(() => undefined);
  };
  return (
    <Card withBorder component="form" onSubmit={submit} aria-label={t('organisations.create')}>
      <Stack>
        <Title order={2} size="h3">
          {t('organisations.create')}
        </Title>
        <Group align="flex-end">
          <TextInput
            label={t('organisations.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <Select
            label={t('organisations.type')}
            allowDeselect={false}
            data={options(t, 'organisationType', ORGANISATION_TYPES)}
            value={type}
            onChange={(v) => v && setType(v as OrganisationType)}
          />
          <TagsInput
            label={t('organisations.ports')}
            description={t('organisations.portsHelp')}
            value={ports}
            onChange={(v) => setPorts(v.map((p) => p.toUpperCase().replace(/\s/g, '')))}
          />
          <Button type="submit" loading={creating.loading}>
            {t('organisations.createButton')}
          </Button>
        </Group>
        <ErrorNotice error={creating.error} />
      </Stack>
    </Card>
  );
}

export default function OrganisationsPage() {
  const { t } = useTranslation();
  const viewer = useQuery(ViewerDocument);
  if (!viewer.data) return <Loading />;
  if (!viewer.data.me.isPlatformAdmin)
    return (
      <Alert color="red" role="alert" title={t('organisations.title')}>
        {t('organisations.platformOnly')}
      </Alert>
    );
  return <Organisations />;
}

function Organisations() {
  const { t } = useTranslation();
  const { data, loading, error, refetch } = useQuery(OrganisationsDeskDocument, { fetchPolicy: 'network-only' });
  const [suspend] = useMutation(SuspendOrganisationDocument);
  const [reinstate] = useMutation(ReinstateOrganisationDocument);
  const [onboarding, setOnboarding] = useState<string | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const [reason, setReason] = useState('');
  const { nodes: organisations } = useConnection(data?.organisations);
  return (
    <Stack maw={1000}>
      <Title order={1} size="h2">
        {t('organisations.title')}
      </Title>
      <Text>{t('organisations.help')}</Text>
      <CreateOrganisation
        onCreated={(organisation) => {
          setCreated(organisation);
          void refetch();
        }}
      />
      {/* Said where it was asked, with the next step: the new one may sort anywhere in the list. */}
      {created && (
        <Alert
          variant="outline"
          color="teal.9"
          role="status"
          title={t('organisations.created', { name: created.name })}
        >
          <InvitationList organisationId={created.id} onlyRole="ORG_ADMIN" />
        </Alert>
      )}
      <ErrorNotice error={error} />
      {loading && !data && <Loading />}
      {organisations.map((o) => (
        <Card withBorder key={o.id} component="section" aria-label={o.name}>
          <Stack gap="xs">
            <Group justify="space-between">
              <Group gap="xs">
                <Title order={2} size="h4">
                  {o.name}
                </Title>
                <Badge variant="filled" color="gray.2">
                  {t(`enums.organisationType.${o.type}`)}
                </Badge>
                <Text size="sm" c="dimmed">
                  {o.ports.join(', ')}
                </Text>
                {o.status === 'SUSPENDED' && (
                  <Badge color="red.9" variant="filled">
                    {t('organisations.suspended')}
                  </Badge>
                )}
              </Group>
              <Group gap="xs">
                {/* Only an organisation without members is the platform's to invite into. */}
                {o.awaitingFirstAdmin && (
                  <Button
                    size="xs"
                    variant="default"
                    aria-expanded={onboarding === o.id}
                    aria-label={`${t('organisations.onboard')} ${o.name}`}
                    onClick={() => setOnboarding(onboarding === o.id ? null : o.id)}
                  >
                    {t('organisations.onboard')}
                  </Button>
                )}
                {o.status === 'ACTIVE' ? (
                  <ConfirmButton
                    label={t('organisations.suspend')}
                    aria-label={`${t('organisations.suspend')} ${o.name}`}
                    title={t('organisations.suspendTitle', { name: o.name })}
                    effect={t('organisations.suspendEffect')}
                    confirm={t('organisations.suspend')}
                    disabled={!reason.trim()}
                    onConfirm={() =>
                      suspend({ variables: { id: o.id, reason } }).then(() => {
                        setReason('');
                        return refetch();
                      })
                    }
                  >
                    <Textarea
                      label={t('organisations.reason')}
                      required
                      value={reason}
                      onChange={(e) => setReason(e.currentTarget.value)}
                    />
                  </ConfirmButton>
                ) : (
                  <ConfirmButton
                    label={t('organisations.reinstate')}
                    title={t('organisations.reinstateTitle', { name: o.name })}
                    effect={t('organisations.reinstateEffect')}
                    confirm={t('organisations.reinstate')}
                    onConfirm={() => reinstate({ variables: { id: o.id } }).then(() => refetch())}
                  />
                )}
              </Group>
            </Group>
            {onboarding === o.id && o.awaitingFirstAdmin && (
              <>
                <Text size="sm">{t('organisations.onboardHelp')}</Text>
                <InvitationList organisationId={o.id} onlyRole="ORG_ADMIN" />
              </>
            )}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
