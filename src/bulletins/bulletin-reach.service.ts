import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { Tlp } from '../common/tlp';
import { Bulletin } from './bulletin.entity';
import { BulletinAccessService } from './bulletin-access.service';
import { BulletinQueriesService } from './bulletin-queries.service';
import { BulletinReachRepository, REACH_ACTIONS, ReachRow } from './bulletin-reach.repository';
import { BulletinResponsesService } from './bulletin-responses.service';
import { OrganisationReach, ReachPerson } from './dto/bulletin-action.types';

/** Markings under which the originator also sees which people opened or exported. */
const PEOPLE_SHOWN = [Tlp.RED, Tlp.AMBER_STRICT];

/**
 * The originator's view: for its own bulletins, the author organisation's analysts and admins see
 * what each organisation the bulletin reaches did with it (opened, exported, acknowledged,
 * responded), from the audit trail; for TLP:RED and AMBER+STRICT, which people. Nothing about
 * anyone's reading of other organisations' bulletins.
 */
@Injectable()
export class BulletinReachService {
  constructor(
    private readonly reach: BulletinReachRepository,
    private readonly queries: BulletinQueriesService,
    private readonly access: BulletinAccessService,
    private readonly responses: BulletinResponsesService,
  ) {}

  /** Null unless the caller may explain the bulletin (its author organisation's analysts and admins). */
  async of(actor: Actor, bulletin: Bulletin): Promise<OrganisationReach[] | null> {
    if (!(await this.queries.explains(actor, bulletin))) return null;
    const author = bulletin.authorOrganisationId;
    const events = await this.reach.events(bulletin.id, author);
    const acks = await this.queries.acknowledgements(actor, bulletin);
    const responses = await this.responses.of(actor, bulletin);
    const reached = bulletin.status === 'DRAFT' ? [] : await this.access.reachedOrganisations(bulletin);
    const ids = [
      ...new Set([
        ...reached,
        ...events.map((e) => e.organisation_id),
        ...acks.map((a) => a.organisation.id),
        ...responses.map((r) => r.organisation.id),
      ]),
    ].filter((id) => id !== author);
    const names = await this.reach.names(ids);
    const people = PEOPLE_SHOWN.includes(bulletin.tlp);
    return ids
      .map((id) => {
        const mine = events.filter((e) => e.organisation_id === id);
        const opened = mine.filter((e) => REACH_ACTIONS[e.action] === 'OPENED');
        const exported = mine.filter((e) => REACH_ACTIONS[e.action] !== 'OPENED');
        const response = responses.find((r) => r.organisation.id === id);
        return {
          organisation: { id, name: names.get(id) ?? '' },
          openedAt: earliest(opened.map((e) => e.first_at)),
          opens: opened.reduce((n, e) => n + e.times, 0),
          exportedAt: latest(exported.map((e) => e.last_at)),
          exportFormats: [...new Set(exported.map((e) => REACH_ACTIONS[e.action]))].sort(),
          acknowledgedAt: acks.find((a) => a.organisation.id === id)?.acknowledgedAt ?? null,
          response: response?.action ?? null,
          respondedAt: response?.respondedAt ?? null,
          people: people ? peopleOf(mine) : [],
        };
      })
      .sort((a, b) => a.organisation.name.localeCompare(b.organisation.name));
  }
}

function peopleOf(events: ReachRow[]): ReachPerson[] {
  const users = [...new Set(events.filter((e) => e.user_id).map((e) => e.user_id!))];
  return users.map((id) => {
    const theirs = events.filter((e) => e.user_id === id);
    return {
      user: { id, displayName: theirs[0].display_name ?? '' },
      openedAt: earliest(theirs.filter((e) => REACH_ACTIONS[e.action] === 'OPENED').map((e) => e.first_at)),
      exportedAt: latest(theirs.filter((e) => REACH_ACTIONS[e.action] !== 'OPENED').map((e) => e.last_at)),
    };
  });
}

const earliest = (dates: Date[]) => (dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null);
const latest = (dates: Date[]) => (dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null);
