import type { Tlp as TlpLevel } from '../gql/graphql';

const LABELS: Record<TlpLevel, string> = {
  RED: 'TLP:RED',
  AMBER_STRICT: 'TLP:AMBER+STRICT',
  AMBER: 'TLP:AMBER',
  GREEN: 'TLP:GREEN',
  CLEAR: 'TLP:CLEAR',
};

export const TLP_LEVELS = Object.keys(LABELS) as TlpLevel[];

/** The official label, not a translation: TLP labels are the same in every language. */
export function Tlp({ level }: { level: TlpLevel }) {
  return <span className={`tlp tlp-${level}`}>{LABELS[level]}</span>;
}
