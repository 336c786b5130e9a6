import { AbilityBuilder, createMongoAbility } from '@casl/ability';
import type { AppAbility } from './ability.factory';
import { abilityToSql } from './ability-sql';

const COLUMNS = { id: 'o.id', status: 'o.status', type: 'o.type', ports: { array: 'o.ports' } };

function build(define: (b: AbilityBuilder<AppAbility>) => void): AppAbility {
  const b = new AbilityBuilder<AppAbility>(createMongoAbility);
  define(b);
  return b.build();
}

describe('abilityToSql', () => {
  it('compiles "no rule" to FALSE, so nothing leaks when a role has no grant', () => {
    expect(
      abilityToSql(
        build(() => undefined),
        'read',
        'Organisation',
        COLUMNS,
      ),
    ).toEqual({ sql: 'FALSE', params: {} });
  });

  it('compiles an unconditional grant to TRUE', () => {
    expect(
      abilityToSql(
        build((b) => b.can('read', 'Organisation')),
        'read',
        'Organisation',
        COLUMNS,
      ).sql,
    ).toBe('(TRUE)');
  });

  it('ORs rules, ANDs conditions and binds values as parameters', () => {
    const ability = build((b) => {
      b.can('read', 'Organisation', { status: 'ACTIVE' });
      b.can('read', 'Organisation', { type: 'POLICE', ports: { $in: ['NLRTM', 'BEANR'] } } as never);
    });
    const { sql, params } = abilityToSql(ability, 'read', 'Organisation', COLUMNS);
    expect(sql).toBe('(((o.type = :ability_1 AND o.ports && :ability_2) OR o.status = :ability_3))');
    expect(params).toEqual({ ability_1: 'POLICE', ability_2: ['NLRTM', 'BEANR'], ability_3: 'ACTIVE' });
  });

  it('turns an array equality into containment', () => {
    const { sql } = abilityToSql(
      build((b) => b.can('read', 'Organisation', { ports: 'NLRTM' } as never)),
      'read',
      'Organisation',
      COLUMNS,
    );
    expect(sql).toBe('(:ability_1 = ANY(o.ports))');
  });

  it('subtracts cannot rules NULL-safely', () => {
    const ability = build((b) => {
      b.can('read', 'Organisation');
      b.cannot('read', 'Organisation', { id: 'x' });
    });
    expect(abilityToSql(ability, 'read', 'Organisation', COLUMNS).sql).toBe('(NOT COALESCE(o.id = :ability_1, FALSE))');
  });

  it('matches NULL in a $in list the way CASL does', () => {
    const ability = build((b) => b.can('read', 'Organisation', { id: { $in: ['a', null] } } as never));
    const { sql, params } = abilityToSql(ability, 'read', 'Organisation', COLUMNS);
    expect(sql).toBe('((o.id = ANY(:ability_1) OR o.id IS NULL))');
    expect(params).toEqual({ ability_1: ['a'] });
  });

  it('merges alternatives that differ in one equality into one IN, keeping the others apart', () => {
    const ability = build((b) => {
      b.can('read', 'Organisation', { status: 'ACTIVE', id: 'a' });
      b.can('read', 'Organisation', { status: 'ACTIVE', id: 'b' });
      b.can('read', 'Organisation', { status: 'SUSPENDED', id: 'c' });
      b.can('read', 'Organisation', { type: 'POLICE', id: 'd' } as never);
    });
    const { sql, params } = abilityToSql(ability, 'read', 'Organisation', COLUMNS);
    expect(sql.match(/ OR /g)).toHaveLength(2);
    expect(Object.values(params)).toContainEqual(['b', 'a']);
  });

  it('refuses a field it has no column for instead of ignoring the condition', () => {
    const ability = build((b) => b.can('read', 'Organisation', { secret: 1 } as never));
    expect(() => abilityToSql(ability, 'read', 'Organisation', COLUMNS)).toThrow(/no column mapped/);
  });

  it('uses the prefix so two conditions can share a query', () => {
    const ability = build((b) => b.can('read', 'Organisation', { status: 'ACTIVE' }));
    expect(abilityToSql(ability, 'read', 'Organisation', COLUMNS, 'p_').params).toEqual({ p_1: 'ACTIVE' });
  });
});
