import { registerEnumType } from '@nestjs/graphql';

/** Traffic Light Protocol 2.0, in order of restriction. */
export enum Tlp {
  CLEAR = 'CLEAR',
  GREEN = 'GREEN',
  AMBER = 'AMBER',
  AMBER_STRICT = 'AMBER_STRICT',
  RED = 'RED',
}

const ORDER = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED];

/** The markings at or below `max`. */
export const tlpsUpTo = (max: Tlp): Tlp[] => ORDER.slice(0, ORDER.indexOf(max) + 1);

/** What the five markings mean for a bulletin (ARCHITECTURE.md §2). */
export const OPEN_TLPS = [Tlp.CLEAR, Tlp.GREEN]; // every active member organisation
export const RULE_WIDENED_TLPS = [Tlp.AMBER]; // sharing rules may admit more organisations
export const NAMED_ORG_TLPS = [Tlp.AMBER, Tlp.AMBER_STRICT]; // named recipient organisations
/** A rule may share up to AMBER: AMBER_STRICT and RED are never widened by rules. */
export const RULE_MAX_TLPS = [Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER];

export enum SharingSubject {
  BULLETIN = 'BULLETIN',
  VETTING_STATUS = 'VETTING_STATUS',
}

registerEnumType(Tlp, { name: 'Tlp', description: 'Traffic Light Protocol 2.0 marking' });
registerEnumType(SharingSubject, { name: 'SharingSubject' });
