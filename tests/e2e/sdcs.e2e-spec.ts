import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { sdcOrganisationId } from '@tsunagi/meetings';
import { startTestApi } from '../support/test-api';

describe('SDCs are first-class records, present on a fresh start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsunagi-sdcs-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the seven SDCs with their organisation; restarts and concurrent starts write them once', async () => {
    const [first, second] = await Promise.all([startTestApi({ DATA_DIR: dataDir }), startTestApi({ DATA_DIR: dataDir })]);
    try {
      const res = await request(first.app.getHttpServer()).get('/api/sdcs').set('Authorization', first.bearer({ role: 'volunteer', personId: 'p' })).expect(200);
      expect(res.body.items.map((s: { ward: string }) => s.ward)).toEqual(['kawasaki', 'saiwai', 'nakahara', 'takatsu', 'miyamae', 'tama', 'asao']);
      expect(res.body.items.every((s: { established: boolean }) => s.established)).toBe(true);
      const nakahara = res.body.items.find((s: { ward: string }) => s.ward === 'nakahara');
      expect(nakahara).toMatchObject({ since: '2022-10', organisationId: sdcOrganisationId('nakahara'), name: { ja: '中原区ソーシャルデザインセンター' } });

      const org = await request(first.app.getHttpServer()).get(`/api/organisations/${sdcOrganisationId('tama')}`).set('Authorization', first.bearer({ role: 'admin' })).expect(200);
      expect(org.body).toMatchObject({ type: 'sdc', wardsServed: ['tama'] });
    } finally {
      await second.close();
      await first.close();
    }
    const again = await startTestApi({ DATA_DIR: dataDir });
    try {
      for (const ward of ['kawasaki', 'asao']) {
        expect(await again.store.readStream(`sdc-${ward}`)).toHaveLength(1);
        expect(await again.store.readStream(`organisation-${sdcOrganisationId(ward as 'asao')}`)).toHaveLength(1);
      }
      const admin = again.bearer({ role: 'admin' });
      const joined = await request(again.app.getHttpServer()).post('/api/sdcs/takatsu/coordinators').set('Authorization', admin).send({ coordinator: 'c-takatsu' }).expect(200);
      expect(joined.body.coordinators).toEqual(['c-takatsu']);
      await request(again.app.getHttpServer()).post('/api/sdcs/takatsu/coordinators').set('Authorization', again.bearer({ role: 'coordinator', wards: ['takatsu'] })).send({ coordinator: 'x' }).expect(403);
      await request(again.app.getHttpServer()).get('/api/sdcs/nowhere').set('Authorization', admin).expect(400);
    } finally {
      await again.close();
    }
  });
});
