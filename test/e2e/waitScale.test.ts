/**
 * The short version of `npm run bench:wait`: 100 executions wait in one published workflow, and
 * their answers (taps, quoted and plain texts) arrive at a steady rate with 10 % messages from
 * customers nobody waits on. Each inbound message costs one delivery, and every execution resumes
 * with its own answer.
 */
import { byWebhook, measureWaits, replyEndpointsSaved, scenario } from '../../bench/wait';
import { N8n, startN8n } from './harness';
import { Sandbox, startSandbox } from './harness/sandbox';

const SIZE = 100;
let sandbox: Sandbox;
let n8n: N8n;
let s: any;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	s = await scenario(sandbox, 'one n8n, published');
	n8n = await startN8n({ credentials: [s.credential], workflows: [s.workflow], publish: [s.workflow.id] });
	await replyEndpointsSaved(n8n, [s.workflow.id]);
}, 240_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

it(`${SIZE} executions waiting: one endpoint, one delivery per inbound message, all resumed with their own answer, none crossed or lost`, async () => {
	const pids = () => [(n8n as any).server.child.pid];
	const r = await measureWaits({ n8n, sandbox, s, size: SIZE, start: byWebhook(n8n.url, s), pids });
	console.log(
		`${SIZE} waiting: ${r.endpoints} endpoint, ${r.deliveries} deliveries for ${r.inbound} inbound messages (${r.failedDeliveries} not 2xx); resumed ${r.resumed}, crossed ${r.crossed}, lost ${r.lost}; answer → resume p50 ${r.p50} ms, p95 ${r.p95} ms; n8n ${r.memoryMb.toFixed(0)} MB (idle ${r.idleMb.toFixed(0)} MB)`,
	);
	expect(r.waiting).toBe(SIZE);
	expect(r.endpoints).toBe(1);
	expect(r.deliveries).toBe(r.inbound);
	expect(r.failedDeliveries).toBe(0);
	expect({ resumed: r.resumed, crossed: r.crossed, lost: r.lost }).toEqual({ resumed: SIZE, crossed: 0, lost: 0 });
}, 600_000);
