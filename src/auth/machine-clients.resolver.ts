import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Checks, ChecksEach } from '../common/checks';
import type { Actor } from '../common/actor';
import { CurrentActor } from '../common/decorators';
import {
  CreateMachineClientArgs,
  MachineClientIdArgs,
  MachineClientKey,
  RotateMachineClientArgs,
} from './dto/machine-client.types';
import { MachineClient } from './machine-client.entity';
import { MachineClientsService } from './machine-clients.service';

const WHO = 'Only organisation admins manage machine clients';

@Resolver(() => MachineClient)
export class MachineClientsResolver {
  constructor(private readonly clients: MachineClientsService) {}

  @Checks('read', 'MachineClient', WHO)
  @Query(() => [MachineClient], { description: "Your organisation's machine clients (API keys), newest first." })
  machineClients(@CurrentActor() actor: Actor): Promise<MachineClient[]> {
    return this.clients.list(actor);
  }

  @Checks('create', 'MachineClient', WHO)
  @Mutation(() => MachineClientKey, { description: 'A new client and its key, shown this once.' })
  createMachineClient(
    @CurrentActor() actor: Actor,
    @Args() { input }: CreateMachineClientArgs,
  ): Promise<MachineClientKey> {
    return this.clients.create(actor, input);
  }

  @ChecksEach('update', 'MachineClient', WHO)
  @Mutation(() => MachineClientKey, { description: 'A new key, shown this once; the old key stops working at once.' })
  rotateMachineClientKey(
    @CurrentActor() actor: Actor,
    @Args() { id, expiresInDays }: RotateMachineClientArgs,
  ): Promise<MachineClientKey> {
    return this.clients.rotate(actor, id, expiresInDays);
  }

  @ChecksEach('update', 'MachineClient', WHO)
  @Mutation(() => MachineClient, { description: 'The key stops working at once, on every server.' })
  revokeMachineClient(@CurrentActor() actor: Actor, @Args() { id }: MachineClientIdArgs): Promise<MachineClient> {
    return this.clients.revoke(actor, id);
  }
}
