import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Checkbox, Group, Popover, Select, Stack, TextInput } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { canonicalFeedQuery } from '../../../../src/shared/feed-view';
import { ErrorNotice } from '../../components/ErrorNotice';
import {
  CreateSavedViewDocument,
  DeleteSavedViewDocument,
  SavedViewsDocument,
  SetDefaultSavedViewDocument,
} from '../../gql/graphql';

/**
 * Named views of the feed (its filters, order and columns, as its address keeps them): one's own and
 * those colleagues share, one of them the view the feed opens on.
 */
export function SavedViews({
  params,
  open,
}: {
  params: URLSearchParams;
  /** Shows the feed as the view's address says. */
  open: (query: string) => void;
}) {
  const { t } = useTranslation();
  const refetchQueries = [SavedViewsDocument];
  const { data } = useQuery(SavedViewsDocument, { fetchPolicy: 'cache-and-network' });
  const [create, creating] = useMutation(CreateSavedViewDocument, { refetchQueries });
  const [remove, removing] = useMutation(DeleteSavedViewDocument, { refetchQueries });
  const [setDefault, defaulting] = useMutation(SetDefaultSavedViewDocument, { refetchQueries });
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [asDefault, setAsDefault] = useState(false);
  const [saving, setSaving] = useState(false);
  const views = data?.savedViews ?? [];
  const current = canonicalFeedQuery(params);
  const selected = views.find((v) => v.query === current);

  // A feed opened without any filter opens on the person's default view, once per visit of the page.
  const opened = useRef(false);
  useEffect(() => {
    if (opened.current || !data) return;
    opened.current = true;
    const chosen = data.savedViews.find((v) => v.isDefault);
    if (chosen && !current) open(chosen.query);
  }, [data, current, open]);

  const save = async () => {
    const { data: made } = await create({ variables: { input: { name, query: current, shared } } });
    if (asDefault && made) await setDefault({ variables: { id: made.createSavedView.id } });
    setSaving(false);
    setName('');
  };

  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        // Named, not labelled above: it sits beside the page's title.
        aria-label={t('feed.views.label')}
        placeholder={t('feed.views.none')}
        data={[
          {
            group: t('feed.views.mine'),
            items: views.filter((v) => v.mine).map((v) => ({ value: v.id, label: v.name })),
          },
          {
            group: t('feed.views.shared'),
            items: views
              .filter((v) => !v.mine)
              .map((v) => ({ value: v.id, label: t('feed.views.sharedBy', { name: v.name, owner: v.ownerName }) })),
          },
        ].filter((g) => g.items.length)}
        value={selected?.id ?? null}
        onChange={(id) => {
          const view = views.find((v) => v.id === id);
          if (view) open(view.query);
        }}
        w={240}
      />
      {selected && (
        <Button
          variant="default"
          loading={defaulting.loading}
          aria-pressed={selected.isDefault}
          onClick={() =>
            void setDefault({ variables: { id: selected.isDefault ? null : selected.id } }).catch(() => undefined)
          }
        >
          {selected.isDefault ? t('feed.views.isDefault') : t('feed.views.setDefault')}
        </Button>
      )}
      {selected?.mine && (
        <Button
          variant="subtle"
          color="red"
          loading={removing.loading}
          onClick={() => void remove({ variables: { id: selected.id } }).catch(() => undefined)}
        >
          {t('feed.views.delete')}
        </Button>
      )}
      {!selected && (
        <Popover opened={saving} onChange={setSaving} position="bottom-start" trapFocus shadow="md">
          <Popover.Target>
            <Button variant="default" onClick={() => setSaving((o) => !o)}>
              {t('feed.views.save')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack
              gap="xs"
              component="form"
              onSubmit={(e) => {
                e.preventDefault();
                void save().catch(() => undefined);
              }}
            >
              <TextInput
                label={t('feed.views.name')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                required
              />
              <Checkbox
                label={t('feed.views.share')}
                checked={shared}
                onChange={(e) => setShared(e.currentTarget.checked)}
              />
              <Checkbox
                label={t('feed.views.makeDefault')}
                checked={asDefault}
                onChange={(e) => setAsDefault(e.currentTarget.checked)}
              />
              <ErrorNotice error={creating.error} />
              <Button type="submit" loading={creating.loading}>
                {t('feed.views.saveButton')}
              </Button>
            </Stack>
          </Popover.Dropdown>
        </Popover>
      )}
      <ErrorNotice error={removing.error ?? defaulting.error} />
    </Group>
  );
}
