import { Card, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

/** A desk's titled part: a card named by its heading for screen readers. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}
