/**
 * Where the alliance's ports are, for the console's map: longitude and latitude in degrees, from
 * UN/LOCODE's coordinates (degrees and minutes), rounded. A port not listed is counted in the
 * dashboard's table and left off the map.
 */
export const PORT_COORDINATES: Record<string, [longitude: number, latitude: number]> = {
  NLRTM: [4.5, 51.92],
  NLAMS: [4.9, 52.37],
  BEANR: [4.4, 51.22],
  BEZEE: [3.2, 51.33],
  DEHAM: [9.98, 53.55],
  DEBRV: [8.58, 53.55],
  ESALG: [-5.45, 36.13],
  ESVLC: [-0.32, 39.45],
  ESBCN: [2.17, 41.35],
  FRLEH: [0.1, 49.48],
  FRMRS: [5.37, 43.3],
  ITGOA: [8.93, 44.41],
  ITGIT: [15.92, 38.47],
  GRPIR: [23.63, 37.93],
  PTSIE: [-8.87, 37.95],
  PTLIS: [-9.13, 38.72],
  PLGDN: [18.65, 54.35],
  SEGOT: [11.97, 57.7],
  IEDUB: [-6.25, 53.35],
  GBFXT: [1.35, 51.95],
  GBLGP: [0.43, 51.5],
  ECGYE: [-79.88, -2.18],
  COCTG: [-75.52, 10.4],
};
