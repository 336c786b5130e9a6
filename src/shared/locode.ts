/**
 * UN/LOCODE: ISO 3166 country code + 3 characters from A-Z and 2-9. Plain TypeScript, so the console
 * checks ports as the server does.
 */
export const LOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
