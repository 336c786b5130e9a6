import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { PasswordService } from '../auth/password.service';
import { MemberRole, OrganisationType, sectorOf } from '../common/organisation-type';
import { cliContext, runCli } from './cli-context';

/** A demo alliance over the four ports: one organisation of each kind that matters, two police forces. */
const DEMO_ORGANISATIONS: { name: string; slug: string; type: OrganisationType; ports: string[] }[] = [
  {
    name: 'Port of Rotterdam Authority',
    slug: 'portauthority',
    type: OrganisationType.PORT_AUTHORITY,
    ports: ['NLRTM'],
  },
  {
    name: 'Maasvlakte Container Terminal',
    slug: 'terminal',
    type: OrganisationType.TERMINAL_OPERATOR,
    ports: ['NLRTM', 'BEANR'],
  },
  {
    name: 'North Sea Shipping Line',
    slug: 'shipping',
    type: OrganisationType.SHIPPING_COMPANY,
    ports: ['NLRTM', 'BEANR', 'DEHAM', 'ESALG'],
  },
  { name: 'Customs Rotterdam', slug: 'customs', type: OrganisationType.CUSTOMS, ports: ['NLRTM'] },
  { name: 'Seaport Police Rotterdam', slug: 'police-nl', type: OrganisationType.POLICE, ports: ['NLRTM'] },
  { name: 'Federal Maritime Police Antwerp', slug: 'police-be', type: OrganisationType.POLICE, ports: ['BEANR'] },
  {
    name: 'EU Maritime Security Agency',
    slug: 'euagency',
    type: OrganisationType.EU_AGENCY,
    ports: ['NLRTM', 'BEANR', 'DEHAM', 'ESALG'],
  },
];

const ROLES: [MemberRole, string][] = [
  [MemberRole.ORG_ADMIN, 'admin'],
  [MemberRole.ANALYST, 'analyst'],
  [MemberRole.MEMBER, 'member'],
];

runCli(async () => {
  const { dataSource, log } = await cliContext();
  await dataSource.runMigrations({ transaction: 'each' });
  const password = process.env.DEMO_PASSWORD ?? randomBytes(12).toString('base64url');
  const passwords = new PasswordService();
  passwords.assertAcceptable(password);
  const hash = await passwords.hash(password);
  const logins: string[] = [];
  await dataSource.transaction(async (em) => {
    for (const org of DEMO_ORGANISATIONS) {
      await em.query(
        `INSERT INTO organisations (name, type, sector, ports) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING`,
        [org.name, org.type, sectorOf(org.type), org.ports],
      );
      const [{ id }] = await em.query(`SELECT id FROM organisations WHERE name = $1`, [org.name]);
      for (const [role, prefix] of ROLES) {
        const email = `${prefix}@${org.slug}.demo.harbourwatch.eu`;
        // Re-seeding resets the demo passwords to the one printed below.
        const [user] = await em.query(
          `INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
           ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
          [email, `${org.name} ${prefix}`, hash],
        );
        await em.query(
          `INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, $3)
           ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
          [id, user.id, role],
        );
        logins.push(`  ${role.padEnd(9)} ${email.padEnd(48)} ${org.name} (${org.type}, ${org.ports.join(' ')})`);
      }
    }
  });
  log.log(`Demo alliance ready: ${DEMO_ORGANISATIONS.length} organisations in NLRTM, BEANR, DEHAM, ESALG`);
  console.log(`\nLogins (password for all: ${password})\n${logins.join('\n')}\n`);
  console.log('Sign in on the console at the address `npm start` printed (http://127.0.0.1:3000/ by default).\n');
});
