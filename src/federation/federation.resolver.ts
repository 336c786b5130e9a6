import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../common/actor';
import { Checks, ChecksEach } from '../common/checks';
import { CurrentActor } from '../common/decorators';
import {
  CutOffPeerArgs,
  FederatedBulletin,
  FederatedBulletinConnection,
  FederatedBulletinsArgs,
  FederationInstanceView,
  PeerView,
  SavePeerArgs,
} from './dto/federation.types';
import { FederatedBulletinsService } from './federated-bulletins.service';
import { PeersService } from './peers.service';
import { Connection } from '../common/pagination';

@Resolver()
export class FederationResolver {
  constructor(
    private readonly peerService: PeersService,
    private readonly bulletins: FederatedBulletinsService,
  ) {}

  @Checks('read', 'Peer', 'Only platform administrators manage federation')
  @Query(() => FederationInstanceView, { description: 'Platform administrators: this instance as its peers know it.' })
  federationInstance(): FederationInstanceView {
    return this.peerService.instance();
  }

  @Checks('read', 'Peer', 'Only platform administrators manage federation')
  @Query(() => [PeerView], {
    description: 'Platform administrators: the instances we peer with, their agreements and health.',
  })
  peers(): Promise<PeerView[]> {
    return this.peerService.list();
  }

  @Checks('create', 'Peer', 'Only platform administrators manage federation')
  @Mutation(() => PeerView, {
    description:
      'Platform administrators: adds a peer (its id, URL and public key, exchanged out of band) or changes its agreement.',
  })
  savePeer(@Args() { input }: SavePeerArgs): Promise<PeerView> {
    return this.peerService.save(input);
  }

  @ChecksEach('update', 'Peer', 'Only platform administrators manage federation')
  @Mutation(() => PeerView, { description: 'Platform administrators: nothing crosses either way while cut off.' })
  setPeerCutOff(@CurrentActor() actor: Actor, @Args() { id, cutOff }: CutOffPeerArgs): Promise<PeerView> {
    return this.peerService.cutOff(actor, id, cutOff);
  }

  @ChecksEach('read', 'FederatedBulletin', 'The organisations here that its origin addressed')
  @Query(() => FederatedBulletinConnection, {
    description: "Peer instances' bulletins addressed to your organisation, most recent first.",
  })
  federatedBulletins(
    @CurrentActor() actor: Actor,
    @Args() { first, after }: FederatedBulletinsArgs,
  ): Promise<Connection<FederatedBulletin>> {
    return this.bulletins.list(actor, first, after);
  }

  @ChecksEach('read', 'FederatedBulletin', 'The organisations here that its origin addressed')
  @Query(() => FederatedBulletin, { description: "A peer instance's bulletin addressed to your organisation." })
  federatedBulletin(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<FederatedBulletin> {
    return this.bulletins.get(actor, id);
  }
}
