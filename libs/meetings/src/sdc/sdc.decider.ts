import { Decider, DomainError, DomainEvent } from '@tsunagi/domain';
import type { SdcRecord } from './sdc-catalogue';

export type SdcEvent =
  | DomainEvent<'SdcEstablished', SdcRecord & { organisationId: string; by: string; at: string }>
  | DomainEvent<'CoordinatorJoinedSdc', { ward: string; coordinator: string; by: string; at: string }>
  | DomainEvent<'CoordinatorLeftSdc', { ward: string; coordinator: string; by: string; at: string }>;

export const SDC_EVENT_TYPES: readonly SdcEvent['type'][] = ['SdcEstablished', 'CoordinatorJoinedSdc', 'CoordinatorLeftSdc'];

export type SdcCommand =
  | { type: 'EstablishSdc'; record: SdcRecord; organisationId: string; by: string; at: string }
  | { type: 'JoinSdc'; coordinator: string; by: string; at: string }
  | { type: 'LeaveSdc'; coordinator: string; by: string; at: string };

export interface SdcState {
  established: boolean;
  ward?: string;
  coordinators: string[];
}

/** An SDC: its record, and the coordinators who belong to it. */
export const sdcDecider: Decider<SdcState, SdcCommand, SdcEvent> = {
  initialState: () => ({ established: false, coordinators: [] }),
  decide(command, state) {
    const { by, at } = command;
    if (command.type === 'EstablishSdc') {
      if (state.established) throw new DomainError('sdc.already_established', 'conflict');
      return [{ type: 'SdcEstablished', data: { ...command.record, organisationId: command.organisationId, by, at } }];
    }
    if (!state.established) throw new DomainError('sdc.not_found', 'not_found');
    const member = state.coordinators.includes(command.coordinator);
    if (command.type === 'JoinSdc') {
      if (member) throw new DomainError('sdc.already_member', 'conflict');
      return [{ type: 'CoordinatorJoinedSdc', data: { ward: state.ward!, coordinator: command.coordinator, by, at } }];
    }
    if (!member) throw new DomainError('sdc.not_member', 'not_found');
    return [{ type: 'CoordinatorLeftSdc', data: { ward: state.ward!, coordinator: command.coordinator, by, at } }];
  },
  evolve(state, event) {
    switch (event.type) {
      case 'SdcEstablished':
        return { ...state, established: true, ward: event.data.ward };
      case 'CoordinatorJoinedSdc':
        return { ...state, coordinators: [...state.coordinators, event.data.coordinator] };
      case 'CoordinatorLeftSdc':
        return { ...state, coordinators: state.coordinators.filter((c) => c !== event.data.coordinator) };
    }
  },
};
