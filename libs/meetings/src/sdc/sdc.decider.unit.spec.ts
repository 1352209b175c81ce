import { spec } from '@tsunagi/testing';
import { SDC_CATALOGUE, sdcOrganisationId } from './sdc-catalogue';
import { SdcEvent, sdcDecider } from './sdc.decider';

const at = '2026-01-01T00:00:00.000Z';
const record = SDC_CATALOGUE.find((s) => s.ward === 'nakahara')!;
const established: SdcEvent = { type: 'SdcEstablished', data: { ...record, organisationId: sdcOrganisationId('nakahara'), by: 'system', at } };
const joined: SdcEvent = { type: 'CoordinatorJoinedSdc', data: { ward: 'nakahara', coordinator: 'c1', by: 'admin', at } };

describe('SDC decider', () => {
  it('establishes an SDC once', () => {
    spec(sdcDecider).given([]).when({ type: 'EstablishSdc', record, organisationId: sdcOrganisationId('nakahara'), by: 'system', at }).then([established]);
    spec(sdcDecider).given([established]).when({ type: 'EstablishSdc', record, organisationId: 'x', by: 'system', at }).thenFails('sdc.already_established');
  });
  it('coordinators join and leave, once each', () => {
    spec(sdcDecider).given([established]).when({ type: 'JoinSdc', coordinator: 'c1', by: 'admin', at }).then([joined]);
    spec(sdcDecider).given([established, joined]).when({ type: 'JoinSdc', coordinator: 'c1', by: 'admin', at }).thenFails('sdc.already_member');
    spec(sdcDecider)
      .given([established, joined])
      .when({ type: 'LeaveSdc', coordinator: 'c1', by: 'admin', at })
      .then([{ type: 'CoordinatorLeftSdc', data: { ward: 'nakahara', coordinator: 'c1', by: 'admin', at } }]);
    spec(sdcDecider).given([established]).when({ type: 'LeaveSdc', coordinator: 'c1', by: 'admin', at }).thenFails('sdc.not_member');
    spec(sdcDecider).given([]).when({ type: 'JoinSdc', coordinator: 'c1', by: 'admin', at }).thenFails('sdc.not_found');
  });
  it('the catalogue has the seven wards, each with a stable organisation id', () => {
    expect(SDC_CATALOGUE.map((s) => s.ward)).toEqual(['kawasaki', 'saiwai', 'nakahara', 'takatsu', 'miyamae', 'tama', 'asao']);
    expect(new Set(SDC_CATALOGUE.map((s) => sdcOrganisationId(s.ward))).size).toBe(7);
    expect(sdcOrganisationId('tama')).toBe(sdcOrganisationId('tama'));
  });
});
