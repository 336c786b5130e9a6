import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import type { NestContainer } from '@nestjs/core';
import { RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import { ALERT_SUBSCRIPTION_COLUMNS } from '../../src/subscriptions/alert-subscriptions.service';
import { SAVED_VIEW_COLUMNS } from '../../src/bulletins/saved-views.service';
import { AUDIT_COLUMNS } from '../../src/audit-trail/audit-queries.service';
import { ALLOW_WITHOUT_MFA, IS_PUBLIC, OPTIONAL_AUTH, SIGNED_IN } from '../../src/common/decorators';
import { BulletinCategory } from '../../src/common/categories';
import { BULLETIN_COLUMNS, VERSION_COLUMNS } from '../../src/bulletins/bulletin-visibility';
import { ORGANISATION_COLUMNS } from '../../src/organisations/organisations.service';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { AbilityContext, AbilityFactory, AdmittingRule } from '../../src/sharing/ability.factory';
import { abilityToSql, SqlCondition } from '../../src/sharing/ability-sql';
import { Action, Check, CHECK, SubjectName } from '../../src/common/checks';
import { SHARING_RULE_COLUMNS } from '../../src/sharing/sharing-rules.service';
import { INVITATION_COLUMNS } from '../../src/organisations/members.service';
import { SharingSubject, Tlp } from '../../src/common/tlp';
import { VETTING_COLUMNS } from '../../src/vetting/vetting-queries.service';

/** One GraphQL root field or HTTP route and what guards it, read from the handlers' decorators. */
export interface Operation {
  kind: 'Query' | 'Mutation' | 'Subscription' | 'HTTP';
  name: string;
  public?: string;
  optionalAuth?: boolean;
  signedIn?: boolean;
  beforeTotp?: boolean;
  check?: Check;
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD'];

/** Every resolver root field and controller route of the running application. */
export function collectOperations(app: INestApplication): Operation[] {
  const operations: Operation[] = [];
  // The application's module graph (Nest keeps it on the instance; tests may read it).
  const { container } = app as unknown as { container: NestContainer };
  for (const module of container.getModules().values()) {
    const classes = [...module.providers.values(), ...module.controllers.values()];
    for (const wrapper of classes) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!type?.prototype || typeof type !== 'function') continue;
      const isController = module.controllers.has(wrapper.token);
      const base = isController ? (Reflect.getMetadata(PATH_METADATA, type) as string | undefined) : undefined;
      for (const key of Object.getOwnPropertyNames(type.prototype)) {
        // The descriptor, not the property: reading a getter of a framework class would run it.
        const handler: unknown = Object.getOwnPropertyDescriptor(type.prototype, key)?.value;
        if (key === 'constructor' || typeof handler !== 'function') continue;
        const meta = (k: string) => Reflect.getMetadata(k, handler) ?? Reflect.getMetadata(k, type);
        const resolverType = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
        let kind: Operation['kind'];
        let name: string;
        if (resolverType === 'Query' || resolverType === 'Mutation' || resolverType === 'Subscription') {
          kind = resolverType;
          name = (Reflect.getMetadata(RESOLVER_NAME_METADATA, handler) as string | undefined) ?? key;
        } else if (isController && Reflect.hasMetadata(METHOD_METADATA, handler)) {
          kind = 'HTTP';
          const path = [base, Reflect.getMetadata(PATH_METADATA, handler) as string]
            .filter((p) => p && p !== '/')
            .join('/');
          name = `${HTTP_METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as number]} /${path}`;
        } else continue;
        operations.push({
          kind,
          name,
          public: meta(IS_PUBLIC) as string | undefined,
          optionalAuth: !!meta(OPTIONAL_AUTH),
          signedIn: !!meta(SIGNED_IN),
          beforeTotp: !!meta(ALLOW_WITHOUT_MFA),
          check: meta(CHECK) as Check | undefined,
        });
      }
    }
  }
  const order = ['Query', 'Mutation', 'Subscription', 'HTTP'];
  return operations.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.name.localeCompare(b.name));
}

const ORG = 'org:caller';
const context = (role: MemberRole | null, organisationType: OrganisationType | null): AbilityContext => ({
  userId: 'user:caller',
  organisationId: role ? ORG : null,
  role,
  isPlatformAdmin: !role,
  organisationType,
});
/** The callers each table shows: a platform admin without membership, and each role of a member organisation. */
const CALLERS: [string, (type: OrganisationType) => AbilityContext][] = [
  ['Platform admin', () => context(null, null)],
  ['Org admin', (type) => context(MemberRole.ORG_ADMIN, type)],
  ['Analyst', (type) => context(MemberRole.ANALYST, type)],
  ['Member', (type) => context(MemberRole.MEMBER, type)],
];

/** The committed table of docs/authorization/operations.md. */
export function operationsTable(operations: Operation[], abilities: AbilityFactory): string {
  const cell = (contextOf: (type: OrganisationType) => AbilityContext, { action, subject }: Check) => {
    const allowed = (type: OrganisationType) => abilities.forRole(contextOf(type)).can(action, subject);
    const authority = allowed(OrganisationType.PORT_AUTHORITY);
    const other = allowed(OrganisationType.TERMINAL_OPERATOR);
    return authority && other ? 'yes' : authority ? 'vetting authorities' : other ? 'other than authorities' : '—';
  };
  const rows = operations.map((op) => {
    let check: string;
    let who: string[];
    if (op.public && !op.optionalAuth) {
      check = `public: ${op.public}`;
      who = CALLERS.map(() => 'yes');
    } else if (op.check) {
      const scope = op.check.atGate ? 'at the gate' : 'on each object';
      check = `\`${op.check.action}\` \`${op.check.subject}\` ${scope}: ${op.check.who}`;
      who = CALLERS.map(([, contextOf]) => cell(contextOf, op.check!));
    } else {
      check = op.optionalAuth ? `public, or signed in: ${op.public}` : 'signed in';
      who = CALLERS.map(() => 'yes');
    }
    if (op.beforeTotp) check += ' (also before a platform admin confirms TOTP)';
    return `| ${op.kind} | \`${op.name}\` | ${check.replace(/\|/g, '\\|')} | ${who.join(' | ')} |`;
  });
  return [
    '# Who may call what',
    '',
    "Generated from the handlers' `@Public`, `@SignedIn` and `@Checks` declarations (`npm run schema:emit`;",
    '`test/authorization.e2e-spec.ts` fails when this file and the code differ). The global guard',
    '(`src/auth/auth.guard.ts`) refuses an undeclared operation. A check "at the gate" concerns no object',
    'the caller names: a role never allowed it is refused (FORBIDDEN) before anything runs. A check "on each',
    'object" is asked by the service of every object: one the caller cannot read answers NOT_FOUND, like an',
    'unknown id, one they read but may not change FORBIDDEN, and lists are filtered in SQL. The role columns are',
    "computed from the ability (`src/sharing/ability.factory.ts`) for a port authority's members",
    "(a vetting authority) and a terminal operator's.",
    '',
    `| Kind | Operation | Check | ${CALLERS.map(([name]) => name).join(' | ')} |`,
    `|---|---|---|${CALLERS.map(() => '---').join('|')}|`,
    ...rows,
    '',
  ].join('\n');
}

/** Every list the code filters in SQL: the ability's (action, subject) and the column map beside its query. */
const LIST_FILTERS: [Action, SubjectName, Record<string, string | { array: string }>, string][] = [
  ['read', 'Bulletin', BULLETIN_COLUMNS, 'bulletins, feed, search, STIX and CAP exports'],
  ['read', 'Bulletin', VERSION_COLUMNS, "a bulletin's versions, each by its own marking"],
  ['read', 'Organisation', ORGANISATION_COLUMNS, 'the directory'],
  ['read', 'SharingRule', SHARING_RULE_COLUMNS, 'sharing rules'],
  ['read', 'AuditEvent', AUDIT_COLUMNS, 'the audit trail'],
  ['read', 'Invitation', INVITATION_COLUMNS, "an organisation's invitations"],
  ['read', 'AlertSubscription', ALERT_SUBSCRIPTION_COLUMNS, 'alert subscriptions'],
  ['read', 'SavedView', SAVED_VIEW_COLUMNS, 'saved views of the feed'],
  ['read', 'VettingRecord', VETTING_COLUMNS, 'vetting records'],
  ['check', 'VettingRecord', VETTING_COLUMNS, 'badge checks'],
];

/** Sharing rules that admit the caller's organisation in the examples: one per subject. */
const EXAMPLE_RULES: AdmittingRule[] = [
  {
    id: 'rule:bulletins',
    subject: SharingSubject.BULLETIN,
    organisationId: 'org:partner',
    categories: [BulletinCategory.EXTRACTION_TEAM],
    maxTlp: Tlp.AMBER,
    validUntil: null,
  },
  {
    id: 'rule:vetting',
    subject: SharingSubject.VETTING_STATUS,
    organisationId: 'org:authority',
    categories: [],
    maxTlp: Tlp.AMBER,
    validUntil: null,
  },
];

/** The condition with its parameters written in, for reading (the code always binds them). */
function inlined({ sql, params }: SqlCondition): string {
  const literal = (value: unknown): string =>
    Array.isArray(value) ? `ARRAY[${value.map(literal).join(', ')}]` : `'${String(value).replace(/'/g, "''")}'`;
  return alternativesOnLines(sql.replace(/:(ability_\d+)/g, (_, name: string) => literal(params[name])));
}

/** One top-level OR branch per line, so a diff shows the branch that changed. */
function alternativesOnLines(sql: string): string {
  let inner = sql;
  while (inner.startsWith('(') && inner.endsWith(')') && depthZeroAt(inner.slice(1, -1))) inner = inner.slice(1, -1);
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '(') depth++;
    else if (inner[i] === ')') depth--;
    else if (depth === 0 && inner.startsWith(' OR ', i)) {
      branches.push(inner.slice(start, i));
      start = i + 4;
    }
  }
  branches.push(inner.slice(start));
  return branches.length > 1 ? branches.join('\nOR ') : sql;
}

/** Whether the parentheses of `text` balance without ever closing more than they opened. */
function depthZeroAt(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/** The committed docs/authorization/ability-sql.md: the SQL each role's ability compiles to, per list. */
export function abilitySqlTable(abilities: AbilityFactory): string {
  const out = [
    '# What the database is asked',
    '',
    'Generated (`npm run schema:emit`; `test/authorization.e2e-spec.ts` fails when it differs): the SQL',
    "condition each caller's ability compiles to (`src/sharing/ability-sql.ts`) for every list the code",
    "filters in Postgres. The caller belongs to `org:caller`, a port authority; `org:partner`'s rule admits",
    "it to partner bulletins of category EXTRACTION_TEAM up to AMBER, and `org:authority`'s rule to its badge",
    'checks. A change here is a change to who sees what: review it as such.',
    '',
  ];
  for (const [action, subject, columns, what] of LIST_FILTERS) {
    out.push(`## \`${action}\` \`${subject}\`: ${what}`, '');
    // Callers whose SQL is the same share one block.
    const byCondition = new Map<string, string[]>();
    for (const [name, contextOf] of CALLERS) {
      const ability = abilities.build(contextOf(OrganisationType.PORT_AUTHORITY), EXAMPLE_RULES);
      const sql = inlined(abilityToSql(ability, action, subject, columns));
      byCondition.set(sql, [...(byCondition.get(sql) ?? []), name]);
    }
    for (const [sql, names] of byCondition) out.push(`${names.join(', ')}:`, '', '```sql', sql, '```', '');
  }
  return out.join('\n');
}
