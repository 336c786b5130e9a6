import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Checkbox, Group, NumberInput, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCODE } from '../../../../src/shared/locode';
import { useOrganisationDirectory } from '../../app/useOrganisationDirectory';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Loading } from '../../components/Loading';
import {
  OrganisationProfileDocument,
  type OrganisationProfileQuery,
  UpdateOrganisationProfileDocument,
  ViewerDocument,
} from '../../gql/graphql';

type Profile = OrganisationProfileQuery['organisation'];

/** Ports and contact point: admins edit them, other members read them. */
function ProfileForm({ profile, editable }: { profile: Profile; editable: boolean }) {
  const { t } = useTranslation();
  const { ports: alliancePorts } = useOrganisationDirectory();
  const [ports, setPorts] = useState(profile.ports);
  const [contact, setContact] = useState({
    contactName: profile.contactName ?? '',
    contactEmail: profile.contactEmail ?? '',
    contactPhone: profile.contactPhone ?? '',
  });
  const [justify, setJustify] = useState(profile.requiresJustification);
  const [retention, setRetention] = useState<number | string>(profile.bulletinRetentionDays ?? '');
  const [saved, setSaved] = useState(false);
  const [update, { loading, error }] = useMutation(UpdateOrganisationProfileDocument);
  const invalid = ports.filter((p) => !LOCODE.test(p));
  const field = (name: keyof typeof contact) => ({
    value: contact[name],
    readOnly: !editable,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      setSaved(false);
      setContact({ ...contact, [name]: e.currentTarget.value });
    },
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void update({
      variables: {
        input: {
          ports,
          contactName: contact.contactName || null,
          contactEmail: contact.contactEmail || null,
          contactPhone: contact.contactPhone || null,
          requiresJustification: justify,
          bulletinRetentionDays: retention === '' ? null : Number(retention),
        },
      },
    })
      .then(() => setSaved(true))
      .catch(() => undefined);
  };
  return (
    <Stack component="form" onSubmit={submit} aria-label={t('profile.title')} maw={640}>
      <Text>
        {profile.name} · {t(`enums.organisationType.${profile.type}`)}
      </Text>
      <TagsInput
        label={t('profile.ports')}
        description={t('profile.portsHelp')}
        data={alliancePorts}
        readOnly={!editable}
        value={ports}
        error={invalid.length ? t('profile.badPorts', { ports: invalid.join(', ') }) : undefined}
        onChange={(v) => {
          setSaved(false);
          setPorts(v.map((p) => p.toUpperCase().replace(/\s/g, '')));
        }}
      />
      <TextInput
        label={t('profile.contactName')}
        description={t('profile.contactNameHelp')}
        {...field('contactName')}
      />
      <Group grow align="flex-start">
        <TextInput label={t('profile.contactEmail')} type="email" {...field('contactEmail')} />
        <TextInput label={t('profile.contactPhone')} description={t('profile.phoneHelp')} {...field('contactPhone')} />
      </Group>
      <Checkbox
        label={t('profile.requiresJustification')}
        description={t('profile.requiresJustificationHelp')}
        checked={justify}
        readOnly={!editable}
        onChange={(e) => {
          if (!editable) return;
          setSaved(false);
          setJustify(e.currentTarget.checked);
        }}
      />
      <NumberInput
        label={t('profile.bulletinRetention')}
        description={t('profile.bulletinRetentionHelp')}
        placeholder={t('profile.platformDefault')}
        min={1}
        allowDecimal={false}
        readOnly={!editable}
        value={retention}
        onChange={(v) => {
          setSaved(false);
          setRetention(v);
        }}
      />
      <ErrorNotice error={error} />
      {saved && (
        <Text role="status" c="teal.9">
          {t('profile.saved')}
        </Text>
      )}
      {editable && (
        <Group>
          <Button type="submit" loading={loading} disabled={!ports.length || invalid.length > 0}>
            {t('profile.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

export default function ProfilePage() {
  const { t } = useTranslation();
  const me = useQuery(ViewerDocument).data?.me;
  const id = me?.organisation?.id;
  const { data, error } = useQuery(OrganisationProfileDocument, {
    variables: { id: id ?? '' },
    skip: !id,
    fetchPolicy: 'network-only',
  });
  if (!me) return <Loading />;
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('profile.title')}
      </Title>
      <Text>{t('profile.help')}</Text>
      {!id && (
        <Alert color="red" role="alert">
          {t('profile.membersOnly')}
        </Alert>
      )}
      <ErrorNotice error={error} />
      {data && <ProfileForm profile={data.organisation} editable={me.role === 'ORG_ADMIN'} />}
    </Stack>
  );
}
