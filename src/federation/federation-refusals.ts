/** Federation requests refused in this process, by reason (harbourwatch_federation_refused_requests_total). */
export const federationRefusals: Record<'signature' | 'replay' | 'direction', number> = {
  signature: 0,
  replay: 0,
  direction: 0,
};
