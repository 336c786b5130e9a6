import { Tlp } from '../common/tlp';

/** The TLP 2.0 STIX extension (OASIS cti-stix-common-objects), by which its marking definitions say which TLP they are. */
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The official TLP 2.0 marking-definition ids. */
export const TLP_MARKING_IDS: Record<Tlp, string> = {
  [Tlp.CLEAR]: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  [Tlp.GREEN]: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  [Tlp.AMBER]: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  [Tlp.AMBER_STRICT]: 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  [Tlp.RED]: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 marking definitions of the STIX 2.1 specification, read on import (WHITE is CLEAR). */
const TLP1_MARKING_IDS: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': Tlp.CLEAR,
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': Tlp.GREEN,
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': Tlp.AMBER,
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': Tlp.RED,
};

const TLP_NAMES: Record<Tlp, { name: string; value: string }> = {
  [Tlp.CLEAR]: { name: 'TLP:CLEAR', value: 'clear' },
  [Tlp.GREEN]: { name: 'TLP:GREEN', value: 'green' },
  [Tlp.AMBER]: { name: 'TLP:AMBER', value: 'amber' },
  [Tlp.AMBER_STRICT]: { name: 'TLP:AMBER+STRICT', value: 'amber+strict' },
  [Tlp.RED]: { name: 'TLP:RED', value: 'red' },
};

/** The marking-definition object for `tlp`, as the TLP 2.0 extension publishes it. */
export function tlpMarking(tlp: Tlp) {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: TLP_NAMES[tlp].name,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: TLP_NAMES[tlp].value } },
  };
}

/** The most restrictive TLP among marking references, or null when none is a TLP marking. */
export function tlpOfMarkings(refs: unknown): Tlp | null {
  if (!Array.isArray(refs)) return null;
  const order = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED];
  const found = refs.map(
    (ref) =>
      (Object.entries(TLP_MARKING_IDS).find(([, id]) => id === ref)?.[0] as Tlp | undefined) ??
      TLP1_MARKING_IDS[String(ref)],
  );
  const known = found.filter((t): t is Tlp => Boolean(t));
  return known.length ? known.reduce((a, b) => (order.indexOf(a) >= order.indexOf(b) ? a : b)) : null;
}
