import { Severity } from '../bulletins/bulletin-enums';
import { BulletinCategory } from '../common/categories';
import { OrganisationType } from '../common/organisation-type';
import { matchesAlertFilter } from './alert-filter';

const everything = { categories: [], minSeverity: null, ports: [], organisationTypes: [], authorOrganisationIds: [] };
const bulletin = {
  category: BulletinCategory.PIN_FRAUD,
  severity: Severity.SEVERE,
  ports: ['NLRTM', 'BEANR'],
  authorOrganisationId: 'org-a',
};
const match = (
  filter: Partial<typeof everything> | Record<string, unknown>,
  type = OrganisationType.TERMINAL_OPERATOR,
) => matchesAlertFilter({ ...everything, ...filter }, bulletin, type);

describe('alert filters', () => {
  it('matches everything when empty', () => expect(match({})).toBe(true));

  it.each([
    [
      'categories',
      { categories: [BulletinCategory.PIN_FRAUD, BulletinCategory.OTHER] },
      { categories: [BulletinCategory.INSIDER_THREAT] },
    ],
    ['minSeverity', { minSeverity: Severity.SEVERE }, { minSeverity: Severity.EXTREME }],
    ['ports', { ports: ['BEANR', 'DEHAM'] }, { ports: ['DEHAM'] }],
    [
      'organisationTypes',
      { organisationTypes: [OrganisationType.TERMINAL_OPERATOR] },
      { organisationTypes: [OrganisationType.POLICE] },
    ],
    ['authorOrganisationIds', { authorOrganisationIds: ['org-a', 'org-b'] }, { authorOrganisationIds: ['org-b'] }],
  ])('includes and excludes by %s', (_kind, including, excluding) => {
    expect(match(including)).toBe(true);
    expect(match(excluding)).toBe(false);
  });

  it('requires every kind to match', () => {
    expect(match({ categories: [BulletinCategory.PIN_FRAUD], ports: ['DEHAM'] })).toBe(false);
    expect(match({ categories: [BulletinCategory.PIN_FRAUD], ports: ['NLRTM'], minSeverity: Severity.MINOR })).toBe(
      true,
    );
  });
});
