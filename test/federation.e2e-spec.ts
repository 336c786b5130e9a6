/**
 * Federation between two instances on separate databases (NL sends, BE receives): audiences are the
 * intersection of the bulletin's own audience and the agreement, RED never leaves, versions are kept once,
 * a replay or a reordering changes nothing, a transaction committing late is not skipped, and whatever is
 * forged, relayed without leave or claimed for another's organisation is refused and counted.
 *
 * Passport keeps one 'jwt' strategy per process, the last instance's: BE (started last) answers its
 * members over GraphQL; NL, the sender, is driven through its services as its people and administrators.
 */
import { randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { ed25519Key } from '../src/common/ed25519';
import type { Actor } from '../src/common/actor';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { Tlp } from '../src/common/tlp';
import { plainToInstance } from 'class-transformer';
import { BulletinsService } from '../src/bulletins/bulletins.service';
import { BulletinInput } from '../src/bulletins/dto/bulletin.inputs';
import { PeersService } from '../src/federation/peers.service';
import { PeerInput } from '../src/federation/dto/federation.types';
import { FederationFeedService, FeedEntry, FeedPage } from '../src/federation/federation-feed.service';
import { BulletinVersionPayload } from '../src/federation/bulletin-payload';
import { FederationIngestService } from '../src/federation/federation-ingest.service';
import { FederationRepository } from '../src/federation/federation.repository';
import { FederationSyncService } from '../src/federation/federation-sync.service';
import { PeerClient } from '../src/federation/peer-client';
import { Peer } from '../src/federation/peer.entity';
import { requestSignature, signPayload, Signer } from '../src/federation/signatures';
import { DatabaseService } from '../src/database/database.service';
import { PersonalDataRetentionService } from '../src/data-protection/personal-data-retention.service';
import { bulletinInput } from './helpers/bulletins';
import { actingAs } from './helpers/raw-sql';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { freePort } from './helpers/free-port';
import { platformAdmin } from './helpers/platform-admin';
import { cloneDatabase, codeOf, startTestApp, TestApp } from './helpers/test-app';

const INSTANCE = `{ federationInstance { id name publicKey fingerprint } }`;
const SAVE = `mutation($i: PeerInput!) { savePeer(input: $i) { id fingerprint health { received refused quarantined lagEvents } } }`;
const PEERS = `{ peers { id name cutOff health { cursor received refused quarantined lagEvents lagSeconds consecutiveFailures lastError stalled } } }`;
const LIST = `{ federatedBulletins(first: 50) { edges { node { id version tlp title organisationName instanceName indicators { type value } } } } }`;
const ONE = `query($id: ID!) { federatedBulletin(id: $id) { id version title } }`;

/** An instance with its own database, id, key and address (PUBLIC_URL is what peers sign requests to). */
async function instance(name: string, seed: Buffer): Promise<TestApp> {
  const urls = await cloneDatabase();
  const owner = new Client({ connectionString: urls.owner });
  await owner.connect();
  // A clone of the test template shares its instance id; each instance makes its own.
  await owner.query(`UPDATE federation_instance SET id = gen_random_uuid()`);
  await owner.end();
  const port = await freePort();
  return startTestApp(
    {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      INSTANCE_NAME: name,
      INSTANCE_SIGNING_KEY: seed.toString('base64'),
      FEDERATION_ALLOW_HTTP: 'true',
      FEDERATION_PULL_SECONDS: '3600',
      FEDERATION_TIMEOUT_MS: '3000',
    },
    { urls },
  );
}

describe('federation between instances', () => {
  let nl: TestApp;
  let be: TestApp;
  const nlSeed = randomBytes(32);
  const beSeed = randomBytes(32);
  const signerOf = (id: () => string, seed: Buffer): Signer => ({
    get id() {
      return id();
    },
    sign: (data) => sign(null, data, ed25519Key(seed)),
  });
  let nlId: string;
  let beId: string;
  let author: TestUser;
  let officer: TestUser;
  let terminalAnalyst: TestUser;
  let customsAnalyst: TestUser;
  let bePolice: string;
  let beTerminal: string;
  let authorActor: Actor;
  let fromNlInput: Record<string, unknown>;
  let toBeInput: PeerInput;
  let beAdmin: string;
  const nlSigner = signerOf(() => nlId, nlSeed);

  const syncBe = () => be.app.get(FederationSyncService).sync(nlId);
  const nlDb = () => nl.app.get(DatabaseService);
  /** NL's platform administrator, as a request carries them once signed in with a second factor. */
  const nlPlatformAdmin: Actor = {
    userId: randomUUID(),
    sessionId: randomUUID(),
    isPlatformAdmin: true,
    hasSecondFactor: true,
    organisationId: null,
    role: null,
    organisationType: null,
    organisationPorts: [],
  };
  const asNlAdmin = <T>(work: () => Promise<T>) => nlDb().withRequest({ actor: nlPlatformAdmin }, work);
  /** Creates and publishes a bulletin on NL as its author (two requests, as the console does). */
  async function nlPublish(overrides: Record<string, unknown>): Promise<string> {
    const service = nl.app.get(BulletinsService);
    const { id } = await nlDb().withRequest({ actor: authorActor }, () =>
      service.create(authorActor, asInput(overrides)),
    );
    await nlDb().withRequest({ actor: authorActor }, () => service.publish(authorActor, id));
    return id;
  }
  const titles = async (u: TestUser) =>
    ((await be.gql(LIST, {}, u.token)).data?.federatedBulletins.edges ?? []).map(
      (e: { node: { title: string } }) => e.node.title,
    );
  const health = async () =>
    (await be.gql(PEERS, {}, beAdmin)).data.peers.find((p: { id: string }) => p.id === nlId).health;

  afterAll(async () => {
    await nl?.close();
    await be?.close();
  });

  beforeAll(async () => {
    nl = await instance('Harbourwatch NL', nlSeed);
    be = await instance('Harbourwatch BE', beSeed);
    const authority = await makeOrganisation(nl, OrganisationType.PORT_AUTHORITY, ['NLRTM']);
    author = await member(nl, authority, MemberRole.ANALYST);
    authorActor = actingAs(
      author.id,
      { id: authority, type: OrganisationType.PORT_AUTHORITY, ports: ['NLRTM'] },
      MemberRole.ANALYST,
    );
    bePolice = await makeOrganisation(be, OrganisationType.POLICE, ['BEANR']);
    beTerminal = await makeOrganisation(be, OrganisationType.TERMINAL_OPERATOR, ['BEANR']);
    const beCustoms = await makeOrganisation(be, OrganisationType.CUSTOMS, ['BEANR']);
    officer = await member(be, bePolice, MemberRole.ANALYST);
    terminalAnalyst = await member(be, beTerminal, MemberRole.ANALYST);
    customsAnalyst = await member(be, beCustoms, MemberRole.ANALYST);
    beAdmin = await platformAdmin(be);

    // The keys are exchanged out of band: each side reads the other's identity and compares fingerprints.
    const nlInstance = (await (await fetch(`${nl.baseUrl}/federation/v1/instance`)).json()) as {
      id: string;
      publicKey: string;
      fingerprint: string;
    };
    const beInstance = (await be.gql(INSTANCE, {}, beAdmin)).data.federationInstance;
    [nlId, beId] = [nlInstance.id, beInstance.id];
    expect(nlId).not.toBe(beId);
    expect(await (await fetch(`${be.baseUrl}/federation/v1/instance`)).json()).toEqual(beInstance);
    // NL sends its port authority's bulletins up to AMBER to BE's police and customs (by type).
    toBeInput = {
      id: beId,
      name: 'Harbourwatch BE',
      url: be.config.publicUrl,
      publicKey: beInstance.publicKey,
      sends: true,
      receives: false,
      maxTlp: Tlp.AMBER,
      localOrganisationIds: [authority],
      remoteOrganisationIds: [],
      remoteTypes: [OrganisationType.POLICE, OrganisationType.CUSTOMS],
      remotePorts: [],
      retentionDays: 365,
    };
    const toBe = await asNlAdmin(() => nl.app.get(PeersService).save(toBeInput));
    expect(toBe.fingerprint).toBe(beInstance.fingerprint);
    // BE takes NL's port authorities' bulletins, for its police and its terminal (not its customs).
    fromNlInput = {
      id: nlId,
      name: 'Harbourwatch NL',
      url: nl.config.publicUrl,
      publicKey: nlInstance.publicKey,
      sends: false,
      receives: true,
      maxTlp: 'AMBER_STRICT',
      localOrganisationIds: [bePolice, beTerminal],
      remoteOrganisationIds: [],
      remoteTypes: ['PORT_AUTHORITY'],
      remotePorts: [],
    };
    const fromNl = await be.gql(SAVE, { i: fromNlInput }, beAdmin);
    expect(fromNl.data.savePeer.fingerprint).toBe(nlInstance.fingerprint);
    // RED never crosses, whatever an agreement says.
    const red = await be.gql(SAVE, { i: { ...fromNlInput, maxTlp: 'RED' } }, beAdmin);
    expect(codeOf(red)).toBe('BAD_USER_INPUT');
  });

  it("exchanges directories: each side sees the other's organisations it may address, read-only", async () => {
    await nl.app.get(FederationSyncService).sync(beId);
    await syncBe();
    const remoteOnNl: { id: string; home_instance_id: string }[] = await nl.dataSource.query(
      `SELECT id, home_instance_id FROM organisations WHERE home_instance_id IS NOT NULL ORDER BY name`,
    );
    // BE lists its police and terminal, not its customs (no agreement names it).
    expect(remoteOnNl.map((o) => o.id).sort()).toEqual([bePolice, beTerminal].sort());
    expect(new Set(remoteOnNl.map((o) => o.home_instance_id))).toEqual(new Set([beId]));
    await expect(
      nl.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
        bePolice,
        author.id,
      ]),
    ).rejects.toThrow(/belongs to another instance/);
  });

  it('sends each version to exactly the organisations both its audience and the agreements admit; RED never', async () => {
    await nlPublish({
      title: 'AMBER to the police',
      tlp: 'AMBER',
      recipientOrganisationIds: [bePolice],
    });
    await nlPublish({ title: 'GREEN for all', tlp: 'GREEN' });
    await nlPublish({
      title: 'AMBER to the terminal',
      tlp: 'AMBER',
      recipientOrganisationIds: [beTerminal],
    });
    await nlPublish({
      title: 'STRICT to the police',
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [bePolice],
    });
    await nlPublish({ title: 'RED', tlp: 'RED', recipientUserIds: [author.id] });
    const [{ n: queued }] = await nl.dataSource.query(`SELECT count(*)::int AS n FROM federation_outbox`);
    expect(queued).toBe(4); // RED never enters the outbox

    expect(await syncBe()).toEqual({ received: 2, refused: 0 });
    // The police: named on the AMBER one, and the GREEN one (NL admits police by type).
    expect((await titles(officer)).sort()).toEqual(['AMBER to the police', 'GREEN for all']);
    // The terminal: named, but NL's agreement admits only police and customs; customs: BE does not take it.
    expect(await titles(terminalAnalyst)).toEqual([]);
    expect(await titles(customsAnalyst)).toEqual([]);
    const [amber] = (await be.gql(LIST, {}, officer.token)).data.federatedBulletins.edges
      .map((e: { node: { id: string; title: string } }) => e.node)
      .filter((b: { title: string }) => b.title === 'AMBER to the police');
    expect(codeOf(await be.gql(ONE, { id: amber.id }, terminalAnalyst.token))).toBe('NOT_FOUND');
    expect((await be.gql(ONE, { id: amber.id }, officer.token)).data.federatedBulletin.title).toBe(
      'AMBER to the police',
    );
    const [{ n: opened }] = await be.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'readFederatedBulletin' AND object_id = $1`,
      [amber.id],
    );
    expect(opened).toBe(1);
    expect(await health()).toMatchObject({ received: 2, refused: 0, lagEvents: 0 });
  });

  it('keeps one row per version with the latest current, through revisions, replays and reordering', async () => {
    const id = await nlPublish({
      title: 'Revised v1',
      tlp: 'AMBER',
      recipientOrganisationIds: [bePolice],
    });
    const input = { title: 'Revised v2', tlp: 'AMBER', recipientOrganisationIds: [bePolice] };
    await nlDb().withRequest({ actor: authorActor }, () =>
      nl.app.get(BulletinsService).revise(authorActor, id, asInput(input), 'more'),
    );
    await syncBe();
    const versions = async () =>
      (
        await be.dataSource.query(`SELECT version FROM federated_bulletin_versions WHERE bulletin_id = $1 ORDER BY 1`, [
          id,
        ])
      ).map((r: { version: number }) => r.version);
    expect(await versions()).toEqual([1, 2]);
    expect((await titles(officer)).filter((t: string) => t.startsWith('Revised'))).toEqual(['Revised v2']);

    // The whole feed again from the start, and then with its entries reversed (v2 before v1).
    const page = await feedFromStart();
    const peer = (await be.dataSource.query(`SELECT * FROM peers WHERE id = $1`, [nlId]))[0];
    for (const entries of [page.entries, [...page.entries].reverse()]) {
      await be.dataSource.query(`UPDATE federation_cursors SET txid = '0', seq = 0 WHERE peer_id = $1`, [nlId]);
      const outcome = await be.app
        .get(FederationIngestService)
        .ingest(asPeer(peer), { txid: '0', seq: '0' }, { ...page, entries });
      expect(outcome).toMatchObject({ applied: true, refused: 0 });
    }
    expect(await versions()).toEqual([1, 2]);
    const [current] = await be.dataSource.query(
      `SELECT version, content->>'title' AS title FROM federated_bulletins WHERE id = $1`,
      [id],
    );
    expect(current).toEqual({ version: 2, title: 'Revised v2' });
    const [{ n }] = await be.dataSource.query(`SELECT count(*)::int AS n FROM federated_bulletin_versions`);
    expect(n).toBe(4);
  });

  it('refuses and counts a forged signature, another key, a second payload for a version and an organisation not the peer’s', async () => {
    const page = await feedFromStart();
    const genuine = page.entries.find((e) => e.payload.type === 'harbourwatch-bulletin-version') as FeedEntry & {
      payload: BulletinVersionPayload;
    };
    const other = signerOf(() => nlId, randomBytes(32));
    const altered = { ...genuine.payload, content: { ...genuine.payload.content, title: 'Altered' } };
    const claimed = { ...genuine.payload, bulletinId: randomUUID(), organisationId: bePolice };
    claimed.id = `report--${claimed.bulletinId}`;
    const relayed = { ...genuine.payload, origin: randomUUID() };
    const forged = [
      { ...genuine, payload: altered }, // the origin's signature over something else
      { ...genuine, payload: altered, signature: signPayload(other, altered) }, // another key
      { ...genuine, payload: altered, signature: signPayload(nlSigner, altered) }, // a second payload for (id, modified)
      { ...genuine, payload: claimed, signature: signPayload(nlSigner, claimed) }, // BE's own organisation
      { ...genuine, payload: relayed, signature: signPayload(nlSigner, relayed) }, // relayed without leave
    ];
    const before = await health();
    const cursor = (
      await be.dataSource.query(`SELECT txid::text, seq::text FROM federation_cursors WHERE peer_id = $1`, [nlId])
    )[0];
    const peer = (await be.dataSource.query(`SELECT * FROM peers WHERE id = $1`, [nlId]))[0];
    const outcome = await be.app
      .get(FederationIngestService)
      .ingest(asPeer(peer), cursor, { ...page, entries: forged, next: `${cursor.txid}:${cursor.seq}`, pending: 0 });
    expect(outcome).toEqual({ applied: true, received: 0, refused: 5 });
    const reasons = (await be.dataSource.query(`SELECT reason FROM federation_quarantine ORDER BY id`)).map(
      (r: { reason: string }) => r.reason,
    );
    expect(reasons).toEqual([
      'signature does not verify under the peer key',
      'signature does not verify under the peer key',
      'a second, different payload for a version already kept',
      'authored by an organisation that is not the peer’s',
      'the peer relays for another instance, which its agreement does not allow',
    ]);
    expect(await health()).toMatchObject({ refused: before.refused + 5, quarantined: 5 });
    expect(await titles(officer)).not.toContain('Altered');

    // Requests: unsigned, signed by a key no peer has, and a replayed nonce are all the same 401.
    expect((await fetch(`${nl.baseUrl}/federation/v1/feed`)).status).toBe(401);
    const stranger = new PeerClient(
      nl.config,
      signerOf(() => beId, randomBytes(32)),
    );
    await expect(stranger.get(nl.config.publicUrl, '/federation/v1/directory')).rejects.toThrow(/401/);
    const url = `${nl.config.publicUrl}/federation/v1/directory`;
    const headers = await requestSignature(
      signerOf(() => beId, beSeed),
      'GET',
      url,
    );
    expect((await fetch(url, { headers })).status).toBe(200);
    expect((await fetch(url, { headers })).status).toBe(401);
  });

  it('does not skip a transaction that commits after a later one', async () => {
    const early = await nlPublish({ title: 'Early', tlp: 'GREEN' });
    await syncBe();
    // A transaction queues a version and holds; a later one publishes and commits first.
    const slow = new Client({ connectionString: nl.urls.owner });
    slow.on('error', () => undefined);
    await slow.connect();
    await slow.query('BEGIN');
    await slow.query(
      `INSERT INTO federation_outbox (peer_id, bulletin_id, version) SELECT $1, bulletin_id, version FROM bulletin_versions WHERE bulletin_id = $2`,
      [beId, early],
    );
    await nlPublish({ title: 'Late', tlp: 'GREEN' });
    await syncBe();
    expect(await titles(officer)).not.toContain('Late'); // held back behind the open transaction
    expect((await health()).lagEvents).toBeGreaterThan(0);
    await slow.query('COMMIT');
    await slow.end();
    await syncBe();
    expect(await titles(officer)).toContain('Late');
    expect((await health()).lagEvents).toBe(0);
  });

  it('sends retraction and narrowing to every copy, and no stale copy comes back', async () => {
    const service = nl.app.get(BulletinsService);
    const retracted = await nlPublish({ title: 'To retract', tlp: 'GREEN' });
    const narrowed = await nlPublish({ title: 'To narrow', tlp: 'AMBER', recipientOrganisationIds: [bePolice] });
    const reddened = await nlPublish({ title: 'To make RED', tlp: 'GREEN' });
    await syncBe();
    expect(await titles(officer)).toEqual(expect.arrayContaining(['To retract', 'To narrow', 'To make RED']));
    const before = await feedFromStart(); // v1 of each, as a stale third copy would hold them

    await nlDb().withRequest({ actor: authorActor }, () => service.retract(authorActor, retracted, 'false alarm'));
    // Narrowed to the terminal, which NL's agreement does not admit; raised to RED, which never leaves.
    await nlDb().withRequest({ actor: authorActor }, () =>
      service.revise(
        authorActor,
        narrowed,
        asInput({ title: 'Narrowed', tlp: 'AMBER', recipientOrganisationIds: [beTerminal] }),
        'narrowed',
      ),
    );
    await nlDb().withRequest({ actor: authorActor }, () =>
      service.revise(
        authorActor,
        reddened,
        asInput({ title: 'Now RED', tlp: 'RED', recipientUserIds: [author.id] }),
        'red',
      ),
    );
    expect(await syncBe()).toEqual({ received: 3, refused: 0 });
    const list = (
      await be.gql(LIST.replace('indicators {', 'retractedAt indicators {'), {}, officer.token)
    ).data.federatedBulletins.edges.map((e: { node: { title: string; retractedAt: string | null } }) => e.node);
    expect(list.find((b: { title: string }) => b.title === 'To retract').retractedAt).toBeTruthy();
    expect(list.map((b: { title: string }) => b.title)).not.toEqual(
      expect.arrayContaining(['To narrow', 'Narrowed', 'To make RED', 'Now RED']),
    );
    const [{ n }] = await be.dataSource.query(
      `SELECT count(*)::int AS n FROM federated_bulletin_versions WHERE bulletin_id = ANY($1)`,
      [[narrowed, reddened]],
    );
    expect(n).toBe(0);
    const tombstones = await be.dataSource.query(
      `SELECT bulletin_id, reason FROM federated_tombstones ORDER BY reason`,
    );
    expect(tombstones).toEqual(
      expect.arrayContaining([
        { bulletin_id: retracted, reason: 'RETRACTED' },
        { bulletin_id: narrowed, reason: 'WITHDRAWN' },
        { bulletin_id: reddened, reason: 'WITHDRAWN' },
      ]),
    );
    // The RED version never left: no payload BE holds names its title.
    const [{ red }] = await be.dataSource.query(
      `SELECT count(*)::int AS red FROM federation_quarantine WHERE payload::text LIKE '%Now RED%'`,
    );
    expect(red).toBe(0);

    // A stale copy of the first versions, replayed, changes nothing.
    const cursor = (
      await be.dataSource.query(`SELECT txid::text, seq::text FROM federation_cursors WHERE peer_id = $1`, [nlId])
    )[0];
    const peer = (await be.dataSource.query(`SELECT * FROM peers WHERE id = $1`, [nlId]))[0];
    const stale = before.entries.filter((e) => [retracted, narrowed, reddened].includes(e.payload.bulletinId));
    expect(stale).toHaveLength(3);
    const outcome = await be.app
      .get(FederationIngestService)
      .ingest(asPeer(peer), cursor, { ...before, entries: stale, next: `${cursor.txid}:${cursor.seq}`, pending: 0 });
    expect(outcome).toEqual({ applied: true, received: 0, refused: 3 });
    expect(await titles(officer)).not.toEqual(expect.arrayContaining(['To narrow']));
  });

  it("deletes a peer's bulletins past the agreement's retention, and audits how many", async () => {
    const [kept] = await be.dataSource.query(`SELECT id FROM federated_bulletins ORDER BY received_at LIMIT 1`);
    await be.dataSource.query(
      `UPDATE federated_bulletins SET received_at = now() - interval '400 days' WHERE id = $1`,
      [kept.id],
    );
    const purged = await be.app.get(PersonalDataRetentionService).purge();
    expect(purged).toContainEqual({ action: 'purgeFederatedBulletins', organisation_id: null, purged: 1 });
    const left = await be.dataSource.query(`SELECT 1 FROM federated_bulletin_versions WHERE bulletin_id = $1`, [
      kept.id,
    ]);
    expect(left).toEqual([]);
    // What NL queued for BE goes from NL's outbox once BE asks past it: caught up, nothing is left.
    await syncBe();
    const [{ n }] = await nl.dataSource.query(`SELECT count(*)::int AS n FROM federation_outbox`);
    expect(n).toBe(0);
  });

  it('a peer that hangs holds only its own turn', async () => {
    // A "peer" that accepts connections and never answers.
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const silentId = randomUUID();
    expect(
      codeOf(
        await be.gql(
          SAVE,
          {
            i: {
              ...fromNlInput,
              id: silentId,
              name: 'Silent peer',
              url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
              publicKey: randomBytes(32).toString('base64'),
            },
          },
          beAdmin,
        ),
      ),
    ).toBe('OK');
    await nlPublish({ title: 'While another peer hangs', tlp: 'GREEN' });
    const sync = be.app.get(FederationSyncService);
    let silentSettled = false;
    const silent = sync
      .sync(silentId)
      .catch((err: Error) => err)
      .finally(() => (silentSettled = true));
    await sync.sync(nlId);
    // NL's turn is over, with its bulletin, while the silent peer's is still waiting for its timeout.
    expect(silentSettled).toBe(false);
    expect(await titles(officer)).toContain('While another peer hangs');
    expect(((await silent) as Error).message).toMatch(/did not answer in time/);
    const silentHealth = (await be.gql(PEERS, {}, beAdmin)).data.peers.find((p: { id: string }) => p.id === silentId);
    // Asked and never answered: the desk shows it stalled; NL, which answers, is not.
    expect(silentHealth.health).toMatchObject({
      consecutiveFailures: 1,
      lastError: 'the peer did not answer in time',
      stalled: true,
    });
    expect(await health()).toMatchObject({ consecutiveFailures: 0, stalled: false });
    await be.gql(`mutation($id: ID!) { setPeerCutOff(id: $id, cutOff: true) { cutOff } }`, { id: silentId }, beAdmin);
    hanging.close();
  });

  it('takes back what a narrowed agreement no longer lets the peer have', async () => {
    expect(await titles(officer)).toContain('GREEN for all');
    // NL now admits only BE's customs: BE's police may keep nothing of NL's.
    await asNlAdmin(() => nl.app.get(PeersService).save({ ...toBeInput, remoteTypes: [OrganisationType.CUSTOMS] }));
    await syncBe();
    expect(await titles(officer)).toEqual([]);
    const [{ n }] = await be.dataSource.query(`SELECT count(*)::int AS n FROM federated_bulletins`);
    expect(n).toBe(0); // the retracted copy too; its retraction stays on record
    const retractions = await be.dataSource.query(`SELECT 1 FROM federated_tombstones WHERE reason = 'RETRACTED'`);
    expect(retractions).toHaveLength(1);
    // Widened again, later versions cross again; a version the peer still holds is not sent twice.
    await asNlAdmin(() => nl.app.get(PeersService).save(toBeInput));
    await nlPublish({ title: 'After widening', tlp: 'GREEN' });
    await syncBe();
    expect(await titles(officer)).toEqual(['After widening']);
  });

  it('a cut-off peer is neither asked nor answered', async () => {
    await asNlAdmin(() => nl.app.get(PeersService).cutOff(nlPlatformAdmin, beId, true));
    await nlPublish({ title: 'After the cut', tlp: 'GREEN' });
    await expect(syncBe()).rejects.toThrow(/401/);
    expect(await titles(officer)).not.toContain('After the cut');
    expect(await health()).toMatchObject({ consecutiveFailures: 1, lastError: expect.stringMatching(/401/) });
  });

  /** Everything NL has queued for BE, from the start, as BE would take it. */
  async function feedFromStart(): Promise<FeedPage> {
    const nlDb = nl.app.get(DatabaseService);
    const peer = await nlDb.withRequest(
      { identity: { userId: null, organisationId: null, isPlatformAdmin: false, peerId: beId } },
      () => nl.app.get(FederationRepository).peer(beId),
    );
    return nlDb.withRequest(
      { identity: { userId: null, organisationId: null, isPlatformAdmin: false, peerId: beId } },
      () => nl.app.get(FederationFeedService).page(peer!, { txid: '0', seq: '0' }, 100),
    );
  }
});

/** A bulletin's input as GraphQL hands it to the service, defaults filled in. */
const asInput = (overrides: Record<string, unknown>): BulletinInput =>
  plainToInstance(BulletinInput, bulletinInput(overrides));

/** A peers row as the owner reads it, as the entity. */
function asPeer(row: Record<string, unknown>): Peer {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    publicKey: row.public_key,
    cutOff: row.cut_off,
    sends: row.sends,
    receives: row.receives,
    maxTlp: row.max_tlp,
    localOrganisationIds: row.local_organisation_ids,
    remoteOrganisationIds: row.remote_organisation_ids,
    remoteTypes: row.remote_types,
    remotePorts: row.remote_ports,
    mayRelay: row.may_relay,
    retentionDays: row.retention_days,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as Peer;
}
