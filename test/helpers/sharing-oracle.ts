/**
 * The sharing oracle: ARCHITECTURE.md §2 written independently of src/sharing, so the matrix tests
 * compare the application (and row-level security alone) against the specification, not against itself.
 */
export type Tlp = 'CLEAR' | 'GREEN' | 'AMBER' | 'AMBER_STRICT' | 'RED';
export const TLPS: Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'];

export interface Org {
  id: string;
  type: string;
  ports: string[];
}
export interface RuleData {
  owner: string | null;
  categories: string[];
  orgIds: string[];
  types: string[];
  ports: string[];
  maxTlp: Tlp;
  validUntil: Date | null;
}
/** One marking of a bulletin: its current one, or one of its published versions. */
export interface BulletinData {
  id: string;
  author: Org;
  authorUser: string;
  draft: boolean;
  tlp: Tlp;
  category: string;
  recipientOrgs: string[];
  recipientUsers: string[];
}

export function ruleAdmits(r: RuleData, b: BulletinData, org: Org): boolean {
  return (
    (r.owner === null || r.owner === b.author.id) &&
    (r.categories.length === 0 || r.categories.includes(b.category)) &&
    r.maxTlp === 'AMBER' && // the only marking rules can widen
    (r.validUntil === null || r.validUntil > new Date()) &&
    (r.orgIds.length === 0 || r.orgIds.includes(org.id)) &&
    (r.types.length === 0 || r.types.includes(org.type)) &&
    (r.ports.length === 0 || r.ports.some((p) => org.ports.includes(p)))
  );
}

export function expectedVisible(org: Org, userId: string | null, b: BulletinData, rules: RuleData[]): boolean {
  if (userId !== null && b.authorUser === userId) return true;
  if (b.tlp === 'RED') return !b.draft && userId !== null && b.recipientUsers.includes(userId);
  if (b.author.id === org.id) return true;
  if (b.draft) return false;
  if (b.tlp === 'CLEAR' || b.tlp === 'GREEN') return true;
  if (b.recipientOrgs.includes(org.id)) return true;
  return b.tlp === 'AMBER' && rules.some((r) => ruleAdmits(r, b, org));
}
