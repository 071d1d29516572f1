'use strict';
/**
 * `npm run bench:wait`: Send and Wait for Reply at the scale ops teams run it. Appointments are
 * posted to a published workflow's webhook until N executions wait (each has asked its customer);
 * then the customers answer at a steady rate — a third tap a button, a third reply quoting the
 * question, a third just type — mixed with 10 % messages from customers nobody waits on. For
 * N = 10, 100 and 1,000 in one n8n, and 200 in queue mode (2 workers, 2 webhook processors), it
 * prints: Lynkist deliveries per inbound message, Lynkist endpoints open while they wait,
 * executions resumed with their own answer / with another's (crossed) / not resumed (lost), time
 * from answer to resume (p50, p95), and n8n's memory. The baseline, in the same run: 10 waits
 * from the editor (test runs), which have endpoints of their own.
 *
 * Not a test (test/e2e/waitScale.test.ts runs N = 100). Loopback only; every wait is bounded.
 * BENCH_WAIT_SIZES ("10,100,1000"), BENCH_WAIT_QUEUE (200; 0 skips queue mode),
 * BENCH_WAIT_RATE (inbound messages per second, 5).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../scripts/runtime');
const { installPackage } = require('../scripts/install-package');
const { N8n } = require('../scripts/n8n');
const { startQueue } = require('../scripts/queue');
const { startSandbox } = require('../sandbox');
const { control, nodeOf, run } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_WAIT_SIZES || '10,100,1000').split(',').map(Number);
const QUEUE_SIZE = Number(process.env.BENCH_WAIT_QUEUE ?? 200);
const RATE = Number(process.env.BENCH_WAIT_RATE || 5);
const BASELINE = 10;
const UNLIMITED = { per_minute: 10_000_000, minute_window_ms: 60_000, per_day: 100_000_000 };

/** The question: a date to confirm, Yes and No as quick replies, and a link between them. */
const QUESTION = {
	template_name: 'confirm_appointment',
	language: 'en',
	category: 'UTILITY',
	components: [
		{ type: 'BODY', text: 'Your appointment is on {{1}}. Can you make it?', example: { body_text: [['Monday 10:00']] } },
		{
			type: 'BUTTONS',
			buttons: [
				{ type: 'QUICK_REPLY', text: 'Yes, I will come' },
				{ type: 'URL', text: 'Pick another time', url: 'https://clinic.example/slots' },
				{ type: 'QUICK_REPLY', text: 'No, cancel it' },
			],
		},
	],
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let seq = 0;

/** A fresh tenant with the question, a credential, and a workflow: appointment webhook → Send and Wait (Either). */
async function scenario(sandbox, label) {
	const created = await control(sandbox, 'POST', '/tenants', { limits: UNLIMITED });
	const tenant = { id: created.tenant_id, key: created.key };
	await control(sandbox, 'POST', `/tenants/${tenant.id}/templates`, QUESTION);
	const tag = `${Date.now().toString(36)}${++seq}`;
	const credential = {
		id: `lkw${tag}`.padEnd(16, '0').slice(0, 16),
		name: `Lynkist ${label}`,
		type: 'lynkistApi',
		data: { apiKey: tenant.key, baseUrl: sandbox.apiUrl },
	};
	const hookPath = `bench-wait-${tag}`;
	const hook = nodeOf(
		'Appointment booked',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: hookPath, responseMode: 'onReceived' },
		{ webhookId: `${tag}-hook` },
	);
	const ask = nodeOf(
		'Ask',
		'n8n-nodes-lynkist.lynkist',
		1,
		{
			resource: 'message',
			operation: 'sendAndWait',
			to: '={{ $json.body.phone }}',
			replyType: 'either',
			template: { __rl: true, mode: 'name', value: QUESTION.template_name },
			variables: { mappingMode: 'defineBelow', value: { body_1: '={{ $json.body.slot }}' }, matchingColumns: [], schema: [] },
		},
		{ credentials: { lynkistApi: { id: credential.id, name: credential.name } }, webhookId: `${tag}-ask` },
	);
	const workflow = {
		id: `bw${tag}`.padEnd(16, '0').slice(0, 16),
		name: `bench wait: ${label}`,
		active: false,
		nodes: [hook, ask],
		connections: { 'Appointment booked': { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return { label, tenant, credential, workflow, hookPath, base: 1_000_000 * seq };
}

const phoneOf = (s, i) => `+1555${String(s.base + i).padStart(7, '0')}`;

/** Resident memory of a process and its children, in MB (Linux). */
function rssMb(pid) {
	const read = (p) => {
		try {
			const status = fs.readFileSync(`/proc/${p}/status`, 'utf8');
			const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
			const children = fs
				.readdirSync(`/proc/${p}/task`)
				.flatMap((t) => fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
			return kb + children.reduce((sum, c) => sum + read(c), 0);
		} catch {
			return 0;
		}
	};
	return read(pid) / 1024;
}

/** Samples the peak memory of these processes until stopped. */
function memoryPeak(pids) {
	let peak = 0;
	const sample = () =>
		(peak = Math.max(
			peak,
			pids().reduce((sum, pid) => sum + rssMb(pid), 0),
		));
	sample();
	const timer = setInterval(sample, 500);
	return () => {
		clearInterval(timer);
		sample();
		return peak;
	};
}

async function count(rest, workflowId, status) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId, status: [status] }));
	const { body } = await rest('GET', `/executions?filter=${filter}&limit=1`);
	return Number(body?.data?.count ?? 0);
}

/** Every execution of a workflow, newest first: `[{ id, status, mode }]`, page by page (n8n gives 100 at most). */
async function executionsOf(rest, workflowId) {
	const all = [];
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	for (let cursor; ;) {
		const { body } = await rest('GET', `/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		all.push(...(body?.data?.results ?? []));
		cursor = body?.data?.nextCursor;
		if (!cursor) return all;
	}
}

async function inBatches(items, size, fn) {
	const out = [];
	for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
	return out;
}

const percentile = (values, p) => {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/**
 * One measurement: `size` executions wait (started by `start(phone, slot)`), then their answers
 * and 10 % noise arrive at `rate` per second. `n8n`: an N8n for the REST API; `pids`: the n8n
 * processes whose memory counts.
 */
async function measureWaits({ n8n, sandbox, s, size, rate = RATE, start, pids }) {
	const rest = (method, url, body) => n8n.rest(method, url, body);
	const phones = Array.from({ length: size }, (_, i) => phoneOf(s, i));
	const peak = memoryPeak(pids);
	const idleMb = pids().reduce((sum, pid) => sum + rssMb(pid), 0);
	const asking = Date.now();
	await inBatches(phones, 10, (phone, i) => start(phone, `slot ${i}`));
	const limit = Date.now() + 60_000 + size * 500;
	while ((await count(rest, s.workflow.id, 'waiting')) < size && Date.now() < limit) await sleep(500);
	const askedMs = Date.now() - asking;
	const waiting = await count(rest, s.workflow.id, 'waiting');
	const endpoints = ((await control(sandbox, 'GET', `/tenants/${s.tenant.id}/webhooks`)).data ?? []).length;
	const messages = (await control(sandbox, 'GET', `/tenants/${s.tenant.id}/messages`)).data;
	const questionOf = new Map(messages.map((m) => [m.to, m]));
	const deliveriesBefore = (await control(sandbox, 'GET', `/tenants/${s.tenant.id}/deliveries`)).data.length;

	// the answers, at a steady rate, with a message from a customer nobody waits on after every ninth
	const expected = new Map();
	const answeredAt = new Map();
	const plan = phones.flatMap((phone, i) => [{ phone, i }, ...(i % 9 === 8 ? [{ noise: true, i }] : [])]);
	const t0 = Date.now();
	let inbound = 0;
	await inBatches(
		plan.map((p, k) => ({ ...p, at: t0 + (k * 1000) / rate })),
		Math.max(1, Math.ceil(rate)),
		async (p) => {
			await sleep(Math.max(0, p.at - Date.now()));
			inbound++;
			if (p.noise) {
				await control(sandbox, 'POST', `/tenants/${s.tenant.id}/inbound`, { from: `+1999${String(p.i).padStart(7, '0')}`, text: 'hello?' });
				return;
			}
			const question = questionOf.get(p.phone);
			if (!question) return;
			const kind = p.i % 3;
			const answer = kind === 0 ? { button: (p.i % 2) * 2 } : { text: `answer ${p.i}`, context: kind === 1 };
			expected.set(p.phone, kind === 0 ? { button: { index: answer.button } } : { reply: `answer ${p.i}` });
			answeredAt.set(p.phone, Date.now());
			await control(sandbox, 'POST', `/tenants/${s.tenant.id}/messages/${question.message_id}/reply`, answer);
		},
	);
	const done = Date.now() + 60_000 + size * 500;
	const unfinished = async () =>
		(await count(rest, s.workflow.id, 'waiting')) +
		(await count(rest, s.workflow.id, 'running')) +
		(await count(rest, s.workflow.id, 'new'));
	while ((await unfinished()) > 0 && Date.now() < done) await sleep(500);
	const answeredMs = Date.now() - t0;
	const memoryMb = peak();
	const deliveries = (await control(sandbox, 'GET', `/tenants/${s.tenant.id}/deliveries`)).data.slice(deliveriesBefore);

	// each execution: resumed with its own answer, with another's (crossed), or not at all (lost)
	const executions = (await executionsOf(rest, s.workflow.id)).filter((e) => e.mode !== 'manual' || start.manual);
	let resumed = 0;
	let crossed = 0;
	const latencies = [];
	await inBatches(executions, 10, async (e) => {
		if (e.status !== 'success') return;
		const execution = await n8n.waitForExecution(e.id, 30_000);
		const out = execution.items('Ask')[0] ?? {};
		const own = expected.get(out.to);
		const matches =
			out.status === 'replied' &&
			out.from === out.to &&
			own &&
			(own.button ? out.button?.index === own.button.index : out.reply === own.reply);
		if (matches) {
			resumed++;
			latencies.push(Date.parse(execution.raw.stoppedAt) - answeredAt.get(out.to));
		} else if (out.status === 'replied') crossed++;
	});
	return {
		label: s.label,
		size,
		waiting,
		askedMs,
		answeredMs,
		endpoints,
		inbound,
		deliveries: deliveries.length,
		failedDeliveries: deliveries.filter((d) => !d.ok).length,
		resumed,
		crossed,
		lost: size - resumed - crossed,
		p50: percentile(latencies, 50),
		p95: percentile(latencies, 95),
		idleMb,
		memoryMb,
	};
}

/** Posts an appointment to the workflow's production webhook. */
const byWebhook = (webhookBase, s) => async (phone, slot) => {
	const response = await fetch(`${webhookBase}/webhook/${s.hookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ phone, slot }),
	});
	if (!response.ok) throw new Error(`appointment webhook: ${response.status} ${await response.text()}`);
};

/** Runs the workflow from the editor with the appointment as the trigger's data (a test run). */
const fromEditor = (n8n, s) => {
	const start = async (phone, slot) => {
		const data = { main: [[{ json: { body: { phone, slot } } }]] };
		const { status, body } = await n8n.rest('POST', `/workflows/${s.workflow.id}/run`, {
			triggerToStartFrom: {
				name: 'Appointment booked',
				data: { startTime: Date.now(), executionTime: 0, executionIndex: 0, source: [], data },
			},
		});
		if (status !== 200) throw new Error(`test run: ${status} ${JSON.stringify(body)}`);
	};
	start.manual = true;
	return start;
};

/** Until n8n has saved each workflow's reply endpoint (waits that start before have their own). */
async function replyEndpointsSaved(n8n, workflowIds) {
	for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(250)) {
		const saved = await Promise.all(
			workflowIds.map(async (id) =>
				Object.values((await n8n.rest('GET', `/workflows/${id}`)).body?.data?.staticData ?? {}).some((n) => n?.replies?.endpoint?.id),
			),
		);
		if (saved.every(Boolean)) return;
	}
	throw new Error('n8n did not save the reply endpoints');
}

const pad = (v, n) => String(v).padStart(n);
const ms = (v) => (Number.isNaN(v) ? '–' : `${(v / 1000).toFixed(2)} s`);

function print(rows, baseline) {
	console.log(`
Send and Wait for Reply: N executions waiting, then their answers at ${RATE}/s (⅓ taps, ⅓ quoted texts, ⅓ plain texts) + 10 % messages from nobody waited on
${'n8n'.padEnd(40)}${pad('N', 6)}${pad('deliv/inbound', 15)}${pad('× base', 8)}${pad('endpoints', 11)}${pad('resumed', 9)}${pad('crossed', 9)}${pad('lost', 6)}${pad('p50', 9)}${pad('p95', 9)}${pad('memory MB', 11)}${pad('× idle', 8)}`);
	for (const r of [baseline, ...rows].filter(Boolean)) {
		const perInbound = r.deliveries / r.inbound;
		console.log(
			`${r.label.padEnd(40)}${pad(r.size, 6)}${pad(perInbound.toFixed(2), 15)}${pad(baseline ? (perInbound / (baseline.deliveries / baseline.inbound)).toFixed(2) + '×' : '–', 8)}${pad(r.endpoints, 11)}${pad(r.resumed, 9)}${pad(r.crossed, 9)}${pad(r.lost, 6)}${pad(ms(r.p50), 9)}${pad(ms(r.p95), 9)}${pad(r.memoryMb.toFixed(0), 11)}${pad((r.memoryMb / r.idleMb).toFixed(2) + '×', 8)}`,
		);
	}
	console.log(`× base: deliveries per inbound message against the baseline's; × idle: peak memory against the same processes before the waits.
machine: ${os.cpus().length} CPUs; n8n, Postgres, Redis and the sandbox share them`);
}

async function oneN8n(runtime, nodesDir, work, sandbox) {
	const base = await scenario(sandbox, 'baseline: test runs (own endpoints)');
	const scenarios = await Promise.all(SIZES.map(() => scenario(sandbox, 'one n8n, published')));
	const n8n = N8n.create(runtime, nodesDir, { folder: path.join(work, 'single') });
	await n8n.importCredentials([base, ...scenarios].map((s) => s.credential));
	await n8n.importWorkflows([base, ...scenarios].map((s) => s.workflow));
	await n8n.publish(scenarios.map((s) => s.workflow.id));
	await n8n.start({ env: { N8N_CONCURRENCY_PRODUCTION_LIMIT: '-1' } });
	try {
		await n8n.setupOwner();
		await replyEndpointsSaved(
			n8n,
			scenarios.map((s) => s.workflow.id),
		);
		const pids = () => [n8n.server.child.pid];
		console.error('one n8n up');
		const baseline = await measureWaits({ n8n, sandbox, s: base, size: BASELINE, start: fromEditor(n8n, base), pids });
		const rows = [];
		for (const [i, size] of SIZES.entries()) {
			console.error(`${size} waits…`);
			rows.push(await measureWaits({ n8n, sandbox, s: scenarios[i], size, start: byWebhook(n8n.url, scenarios[i]), pids }));
		}
		return { baseline, rows };
	} finally {
		await n8n.stop();
	}
}

async function queueMode(runtime, nodesDir, work, sandbox) {
	const s = await scenario(sandbox, 'queue: 2 workers, 2 webhook procs');
	const cluster = await startQueue({
		runtime,
		nodesDir,
		dir: path.join(work, 'queue'),
		webhookProcessors: 2,
		credentials: [s.credential],
		workflows: [s.workflow],
		publish: [s.workflow.id],
	});
	try {
		await cluster.main.setupOwner();
		await replyEndpointsSaved(cluster.main, [s.workflow.id]);
		console.error(`queue mode up; ${QUEUE_SIZE} waits…`);
		const pids = () => [cluster.main, ...cluster.workers, ...cluster.webhooks].flatMap((p) => (p.server ? [p.server.child.pid] : []));
		return await measureWaits({ n8n: cluster.main, sandbox, s, size: QUEUE_SIZE, start: byWebhook(cluster.webhookUrl, s), pids });
	} finally {
		await cluster.stop();
	}
}

async function main() {
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-wait-'));
	const nodesDir = installPackage(ROOT, path.join(work, 'nodes'));
	const sandbox = await startSandbox({ port: 0 });
	try {
		const { baseline, rows } = await oneN8n(runtime, nodesDir, work, sandbox);
		if (QUEUE_SIZE > 0) rows.push(await queueMode(runtime, nodesDir, work, sandbox));
		print(rows, baseline);
	} finally {
		await sandbox.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { measureWaits, scenario, byWebhook, replyEndpointsSaved, QUESTION };

if (require.main === module) run(main);
