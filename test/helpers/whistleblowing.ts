import { createHash } from 'node:crypto';
import { leadingZeroBits } from '../../src/whistleblowing/intake-guard.service';
import { GqlResult, TestApp } from './test-app';

/** What a client does to earn a submission: try proofs until one solves the challenge. */
export function solveChallenge(challenge: string, bits: number): string {
  for (let n = 0; ; n++) {
    if (leadingZeroBits(createHash('sha256').update(`${challenge}:${n}`).digest(), bits)) return String(n);
  }
}

/** GraphQL as an anonymous reporter, from a given client address and user agent (TRUST_PROXY=true). */
export async function asReporter<T = any>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  client = '10.9.9.9',
  agent = 'ReporterAgent/1.0',
): Promise<GqlResult<T>> {
  const res = await fetch(`${t.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client, 'user-agent': agent },
    body: JSON.stringify({ query, variables }),
  });
  return res.json() as Promise<GqlResult<T>>;
}

/** A solved challenge for `purpose` (SUBMIT or FOLLOW_UP), as a reporter's client earns it. */
export async function earnChallenge(
  t: TestApp,
  purpose: 'SUBMIT' | 'FOLLOW_UP',
  client?: string,
  agent?: string,
): Promise<{ challenge: string; proof: string }> {
  const { data } = await asReporter(
    t,
    `query($p: IntakePurpose!) { reportChallenge(purpose: $p) { challenge difficulty } }`,
    { p: purpose },
    client,
    agent,
  );
  const { challenge, difficulty } = data.reportChallenge;
  return { challenge, proof: solveChallenge(challenge, difficulty) };
}

export async function submitReport(
  t: TestApp,
  input: { recipientOrganisationId: string; category?: string; text: string },
  client?: string,
  agent?: string,
): Promise<string> {
  const r = await asReporter(
    t,
    `mutation($input: SubmitReportInput!) { submitReport(input: $input) { receipt } }`,
    {
      input: { category: 'BRIBERY', ...input, ...(await earnChallenge(t, 'SUBMIT', client, agent)) },
    },
    client,
    agent,
  );
  if (!r.data) throw new Error(JSON.stringify(r.errors));
  return r.data.submitReport.receipt;
}

/** A reporter's query or mutation by receipt ($receipt, $challenge and $proof are filled in). */
export async function byReceipt<T = any>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown>,
  client?: string,
  agent?: string,
): Promise<GqlResult<T>> {
  return asReporter<T>(
    t,
    query,
    { ...variables, ...(await earnChallenge(t, 'FOLLOW_UP', client, agent)) },
    client,
    agent,
  );
}

export const OPT_IN = `mutation($accept: Boolean!, $days: Int) { acceptWhistleblowerReports(accept: $accept, retentionDays: $days) { accepting retentionDays recoveryKey handlerUserIds } }`;
export const SET_HANDLER = `mutation($userId: ID!, $handler: Boolean!, $recoveryKey: String) { setCaseHandler(userId: $userId, handler: $handler, recoveryKey: $recoveryKey) { handlerUserIds } }`;
export const CASE = `query($id: ID!) { whistleblowerCase(id: $id) { id organisationId status category text messages { from body at } attachments { id filename size } } }`;
export const CASES = `query($filter: CaseFilter) { whistleblowerCases(first: 50, filter: $filter) { edges { node { id status receivedOn } } } }`;
export const BY_RECEIPT = `query($receipt: String!, $challenge: String!, $proof: String!) { reportByReceipt(receipt: $receipt, challenge: $challenge, proof: $proof) { status category text messages { from body at } attachments { filename } } }`;
