import i18next from 'i18next';

/** Time zones of the alliance's ports (UN/LOCODE), for times shown "at the port" where it differs from the reader's. */
const PORT_ZONES: Record<string, string> = {
  NLRTM: 'Europe/Amsterdam',
  NLAMS: 'Europe/Amsterdam',
  BEANR: 'Europe/Brussels',
  BEZEE: 'Europe/Brussels',
  DEHAM: 'Europe/Berlin',
  DEBRV: 'Europe/Berlin',
  ESALG: 'Europe/Madrid',
  ESVLC: 'Europe/Madrid',
  ESBCN: 'Europe/Madrid',
  FRLEH: 'Europe/Paris',
  FRMRS: 'Europe/Paris',
  ITGOA: 'Europe/Rome',
  ITGIT: 'Europe/Rome',
  GRPIR: 'Europe/Athens',
  PTSIE: 'Europe/Lisbon',
  PTLIS: 'Europe/Lisbon',
  PLGDN: 'Europe/Warsaw',
  SEGOT: 'Europe/Stockholm',
  IEDUB: 'Europe/Dublin',
  GBFXT: 'Europe/London',
  GBLGP: 'Europe/London',
  ECGYE: 'America/Guayaquil',
  COCTG: 'America/Bogota',
};

const readerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The reader's own regional variant of the console's language (en-GB, nl-BE...), for dates and numbers. */
export function locale(): string {
  const language = i18next.language;
  return navigator.languages.find((l) => l.split('-')[0] === language) ?? language;
}

const format = (date: Date, options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat(locale(), options).format(date);

const offsetAt = (date: Date, zone: string) =>
  new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' }).format(date);

/**
 * A date and time in the reader's language and zone; with `port`, followed by the time at that port
 * when its clock shows something else (a police analyst in Bogotá reading a Rotterdam alert).
 */
export function dateTime(value: string | Date, port?: string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const here = format(date, { dateStyle: 'medium', timeStyle: 'short' });
  const zone = port ? PORT_ZONES[port] : undefined;
  if (!zone || offsetAt(date, zone) === offsetAt(date, readerZone())) return here;
  return `${here} (${port} ${format(date, { timeStyle: 'short', timeZone: zone })})`;
}

export function time(value: string | Date): string {
  return format(typeof value === 'string' ? new Date(value) : value, { timeStyle: 'short' });
}

export function count(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** A day without a time: validity ends, retention dates. */
export function day(value: string | Date): string {
  return format(typeof value === 'string' ? new Date(value) : value, { dateStyle: 'medium' });
}
