import { LOCODE, OrganisationType, Sector, sectorOf } from './organisation-type';

describe('organisation types', () => {
  it.each([
    [OrganisationType.POLICE, Sector.PUBLIC],
    [OrganisationType.CUSTOMS, Sector.PUBLIC],
    [OrganisationType.PORT_AUTHORITY, Sector.PUBLIC],
    [OrganisationType.EU_AGENCY, Sector.PUBLIC],
    [OrganisationType.TERMINAL_OPERATOR, Sector.PRIVATE],
    [OrganisationType.SHIPPING_COMPANY, Sector.PRIVATE],
    [OrganisationType.LOGISTICS_PROVIDER, Sector.PRIVATE],
    [OrganisationType.OTHER, Sector.PRIVATE],
  ])('derives the sector of %s as %s', (type, sector) => {
    expect(sectorOf(type)).toBe(sector);
  });

  it('accepts UN/LOCODEs and nothing else', () => {
    for (const ok of ['NLRTM', 'BEANR', 'DEHAM', 'ESALG', 'GB2XX']) expect(LOCODE.test(ok)).toBe(true);
    for (const bad of ['nlrtm', 'NLRT', 'NLRTMX', 'NL RTM', 'NLR1M', '12345']) expect(LOCODE.test(bad)).toBe(false);
  });
});
