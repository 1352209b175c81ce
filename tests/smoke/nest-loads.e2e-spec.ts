import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { CqrsModule } from '@nestjs/cqrs';
import request from 'supertest';

@Controller()
class PingController { @Get('ping') ping() { return { ok: true }; } }
@Module({ imports: [CqrsModule.forRoot()], controllers: [PingController] })
class M {}

it('nest 12 on fastify works under jest', async () => {
  const ref = await Test.createTestingModule({ imports: [M] }).compile();
  const app = ref.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
  await app.init(); await app.getHttpAdapter().getInstance().ready();
  const res = await request(app.getHttpServer()).get('/ping');
  expect(res.body).toEqual({ ok: true });
  await app.close();
});
