import Fastify from 'fastify';

/** The ratio baseline: a bare Fastify "hello" route on the same machine, in the same run. */
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write('ready\n');
