import { Alert, Badge, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describe, ErrorNotice } from '../../components/ErrorNotice';
import { day } from '../../format/time';
import { type CaseRowFragment, UnlockCaseKeysDocument } from '../../gql/graphql';

const ATTENTION_COLOURS = { OVERDUE: 'red.9', DUE_SOON: 'orange.3', TO_ACKNOWLEDGE: 'blue.8' } as const;

/** The server says the session's case keys are locked (idle, or a restart): not a lost session. */
const keysLocked = (error: unknown) =>
  CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.caseKeysLocked === true);

export function AttentionBadge({ attention }: { attention: CaseRowFragment['attention'] }) {
  const { t } = useTranslation();
  if (!attention) return null;
  return (
    <Badge variant="filled" color={ATTENTION_COLOURS[attention]}>
      {t(`cases.attention.${attention}`)}
    </Badge>
  );
}

/** Where the case stands against the Directive's two deadlines, and when a closed one is purged. */
export function Deadlines({ c }: { c: Omit<CaseRowFragment, 'excerpt'> }) {
  const { t } = useTranslation();
  return (
    <Text size="sm">
      {[
        c.acknowledgedOn
          ? t('cases.acknowledgedOn', { date: day(c.acknowledgedOn) })
          : t('cases.acknowledgeBy', { date: day(c.acknowledgeBy) }),
        c.feedbackOn
          ? t('cases.feedbackOn', { date: day(c.feedbackOn) })
          : t('cases.feedbackBy', { date: day(c.feedbackBy) }),
        c.purgeOn ? t('cases.purgeOn', { date: day(c.purgeOn) }) : null,
      ]
        .filter(Boolean)
        .join(' · ')}
    </Text>
  );
}

/**
 * The handler's password opens their case keys again for this session. What that means is said
 * before, and once after it is done (component state only: nothing is kept in the browser).
 */
function UnlockKeys({ onUnlocked }: { onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [unlock, { loading, error }] = useMutation(UnlockCaseKeysDocument);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void unlock({ variables: { password } })
      .then(() => {
        setPassword('');
        onUnlocked();
      })
      .catch(() => undefined);
  };
  return (
    <Alert color="blue" title={t('cases.locked')}>
      <Stack component="form" onSubmit={submit} aria-label={t('cases.unlock')} gap="xs">
        <Text>{t('cases.lockedHelp')}</Text>
        <Group align="flex-end">
          <PasswordInput
            label={t('cases.password')}
            required
            autoComplete="current-password"
            w={280}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={loading}>
            {t('cases.unlock')}
          </Button>
        </Group>
        <ErrorNotice error={error} />
      </Stack>
    </Alert>
  );
}

/** Shown once, right after unlocking. */
function UnlockedNotice() {
  const { t } = useTranslation();
  return (
    <Alert color="teal" role="status" title={t('cases.unlocked')}>
      {t('cases.unlockedHelp')}
    </Alert>
  );
}

/**
 * A case query's error, as the desk answers it: locked keys ask for the password (and `retry` once
 * they open), someone who is not a handler learns the desk is not theirs, anything else as usual.
 */
export function CaseQueryError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation();
  const [unlocked, setUnlocked] = useState(false);
  return (
    <>
      {unlocked && <UnlockedNotice />}
      {keysLocked(error) ? (
        <UnlockKeys
          onUnlocked={() => {
            setUnlocked(true);
            retry();
          }}
        />
      ) : describe(error).code === 'FORBIDDEN' ? (
        <Text role="alert">{t('cases.handlersOnly')}</Text>
      ) : (
        <ErrorNotice error={error} />
      )}
    </>
  );
}
