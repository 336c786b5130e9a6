import { geoMercator, geoPath } from 'd3-geo';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import land from 'world-atlas/land-110m.json';
import { PORT_COORDINATES } from '../../../../src/shared/port-coordinates';
import { count } from '../../format/time';

const WIDTH = 640;
const HEIGHT = 420;
const MARGIN = 40;

/**
 * The ports in use on a base map shipped with the console (Natural Earth through world-atlas: no tile
 * server, so it works where the network is closed), each a circle as large as its activity. The same
 * numbers stand in the table beside it.
 */
export function PortMap({ ports }: { ports: { port: string; bulletins: number; sightings: number }[] }) {
  const { t } = useTranslation();
  const { landPath, points } = useMemo(() => {
    const placed = ports.filter((p) => PORT_COORDINATES[p.port]);
    const coordinates = placed.map((p) => PORT_COORDINATES[p.port]);
    // Framed on the ports in use (Europe, or Europe and South America), never narrower than Europe's coast.
    const frame = { type: 'MultiPoint' as const, coordinates: [...coordinates, [-10, 35], [25, 60]] };
    const projection = geoMercator().fitExtent(
      [
        [MARGIN, MARGIN],
        [WIDTH - MARGIN, HEIGHT - MARGIN],
      ],
      frame,
    );
    const topology = land as unknown as Topology<{ land: GeometryCollection }>;
    return {
      landPath: geoPath(projection)(feature(topology, topology.objects.land)) ?? '',
      points: placed.map((p) => ({ ...p, at: projection(PORT_COORDINATES[p.port]) ?? [0, 0] })),
    };
  }, [ports]);
  const largest = Math.max(1, ...points.map((p) => p.bulletins + p.sightings));

  return (
    <svg
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={t('dashboard.mapLabel', { count: points.length })}
      data-testid="port-map"
      style={{ width: '100%', height: 'auto', background: '#e7f1fa', borderRadius: 4 }}
    >
      <path d={landPath} fill="#d9d9d9" stroke="#b0b0b0" strokeWidth={0.5} />
      {points.map((p) => (
        <g key={p.port} data-port={p.port}>
          <circle
            cx={p.at[0]}
            cy={p.at[1]}
            r={4 + 14 * Math.sqrt((p.bulletins + p.sightings) / largest)}
            fill={p.sightings ? '#c92a2a' : '#1864ab'}
            fillOpacity={0.7}
            stroke="#fff"
          >
            <title>
              {t('dashboard.portTitle', { port: p.port, bulletins: count(p.bulletins), sightings: count(p.sightings) })}
            </title>
          </circle>
          <text x={p.at[0] + 8} y={p.at[1] - 8} fontSize={11} fill="#212529">
            {p.port}
          </text>
        </g>
      ))}
    </svg>
  );
}
