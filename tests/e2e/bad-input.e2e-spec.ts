import request from 'supertest';
import { writeFileSync } from 'node:fs';
import { startTestApi } from '../support/test-api';
it('dump', async () => {
  const api = await startTestApi();
  const res = await request(api.app.getHttpServer()).get('/docs/openapi.json');
  writeFileSync('/tmp/bi/openapi.json', JSON.stringify(res.body, null, 2));
  await api.close();
});
