'use strict';
/**
 * `npm run bench:queue`: the production pattern in n8n's queue mode — a burst of order webhooks,
 * one send each, spread over the workers, and at the same time one large execution — against one
 * API key, through a main, two workers and a webhook processor (Postgres and Redis), and the same
 * load on one n8n.
 *
 * 1. Rate-limited (100 per 4 s, 50 ms added latency per request): wall time ÷ the theoretical
 *    minimum (sends ÷ 100 × 4 s), failed sends, duplicate messages, 429s.
 * 2. No rate limit: sends per second with two workers, one worker, and on one n8n.
 *
 * Not a test. Loopback only; every wait is bounded. BENCH_BURST (300 webhooks), BENCH_BATCH (2000
 * items in the large execution), BENCH_BURST_CONCURRENCY (50 webhook calls at once), BENCH_MODES
 * ("queue,single").
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../scripts/runtime');
const { installPackage } = require('../scripts/install-package');
const { N8n } = require('../scripts/n8n');
const { startQueue } = require('../scripts/queue');
const { seedDefinition, startSandbox } = require('../sandbox');
const { control, nodeOf, orderValues, run, sendTemplateParts } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const BURST = Number(process.env.BENCH_BURST || 300);
const BATCH = Number(process.env.BENCH_BATCH || 2000);
const BURST_CONCURRENCY = Number(process.env.BENCH_BURST_CONCURRENCY || 50);
const MODES = (process.env.BENCH_MODES || 'queue,single').split(',');
const SENDS = BURST + BATCH;
const LATENCY_MS = 50;
const LIMITED = { per_minute: 100, minute_window_ms: 4000, per_day: 1_000_000 };
const UNLIMITED = { per_minute: 1_000_000, minute_window_ms: 60_000, per_day: 10_000_000 };
const MINIMUM_MS = (SENDS / LIMITED.per_minute) * LIMITED.minute_window_ms;
const TIMEOUT_MS = Math.max(300_000, MINIMUM_MS * 4);
const TOTAL = '19.90 EUR';
const ORDER_CONFIRMATION = seedDefinition('order_confirmation', 'en_US');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const phone = (i) => `+1555${String(3000000 + i)}`;

/** A fresh tenant with the template, its credential, and its two workflows (burst webhook, batch). */
async function scenario(sandbox, label, limits) {
	const { tenant_id: tenantId, key } = await control(sandbox, 'POST', '/tenants', { name: label, limits, latency_ms: LATENCY_MS });
	const { data } = await control(sandbox, 'POST', `/tenants/${tenantId}/templates`, ORDER_CONFIRMATION);
	const tag = crypto.randomBytes(5).toString('hex');
	const t = {
		tenantId,
		templateId: data[0].id,
		credential: {
			id: `bq${tag}`.padEnd(16, '0'),
			name: `bench ${label}`,
			type: 'lynkistApi',
			data: { apiKey: key, baseUrl: sandbox.apiUrl },
		},
	};
	const send = (to, values) => {
		const { parameters, credentials } = sendTemplateParts(t, values);
		return nodeOf('Send', 'n8n-nodes-lynkist.lynkist', 1, { ...parameters, to }, { credentials });
	};
	const hook = nodeOf(
		'Order paid',
		'n8n-nodes-base.webhook',
		2,
		{ httpMethod: 'POST', path: `bench-order-${tag}`, responseMode: 'onReceived', options: {} },
		{ webhookId: crypto.randomUUID() },
	);
	const orderFields = {
		header_1: '={{ $json.body.order }}',
		body_1: '={{ $json.body.name }}',
		body_2: '={{ $json.body.order }}',
		body_3: TOTAL,
		button_0_url: '={{ $json.body.order }}',
	};
	const orders = {
		id: `bqo${tag}`.padEnd(16, '0'),
		name: `bench: order webhook (${label})`,
		active: false,
		nodes: [hook, send('={{ $json.body.phone }}', orderFields)],
		connections: { 'Order paid': { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const start = nodeOf('Start', 'n8n-nodes-base.manualTrigger', 1, {});
	const code = nodeOf('Customers', 'n8n-nodes-base.code', 2, {
		jsCode: `return Array.from({ length: ${BATCH} }, (_, i) => ({ json: { phone: '+1555' + String(${3000000 + BURST} + i), name: 'Customer ' + i, order: 'ORD-' + String(500000 + i) } }));`,
	});
	const batch = {
		id: `bqb${tag}`.padEnd(16, '0'),
		name: `bench: ${BATCH} customers (${label})`,
		active: false,
		nodes: [start, code, send('={{ $json.phone }}', orderValues(TOTAL))],
		connections: {
			Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	return { ...t, label, orders, batch, path: hook.parameters.path };
}

/** Posts BURST orders (BURST_CONCURRENCY at a time) to the webhook URL; → how many were not taken. */
async function burst(baseUrl, s) {
	let next = 0;
	let refused = 0;
	const worker = async () => {
		while (next < BURST) {
			const i = next++;
			const response = await fetch(`${baseUrl}/webhook/${s.path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ phone: phone(i), name: `Buyer ${i}`, order: `ORD-${String(400000 + i)}` }),
			}).catch((error) => ({ ok: false, status: String(error.cause?.code ?? error.message) }));
			if (!response.ok) {
				refused += 1;
				if (refused === 1) console.error(`first order webhook not taken: ${response.status}`);
			}
		}
	};
	await Promise.all(Array.from({ length: BURST_CONCURRENCY }, worker));
	return refused;
}

/**
 * Waits until the webhook processors know the order webhook (the main registers published
 * workflows after its editor is up): a GET is then refused as the wrong method, not as unknown.
 */
async function webhookReady(baseUrl, s) {
	for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
		const answer = await fetch(`${baseUrl}/webhook/${s.path}`).then(
			(r) => r.text(),
			() => '',
		);
		if (answer.includes('Did you mean to make a POST request')) return;
	}
	throw new Error(`the order webhook of ${s.label} was not registered within 60 s`);
}

/** Runs the burst and the batch at once; waits until every send is in, or the batch is over and nothing more comes. */
async function measure(main, webhookBase, sandbox, s) {
	await webhookReady(webhookBase, s);
	const started = Date.now();
	const batchRun = main.run(s.batch.id, { timeoutMs: TIMEOUT_MS });
	const refused = await burst(webhookBase, s);
	const batch = await batchRun;
	const batchEndedAt = Date.now();
	let messages = [];
	for (let last = -1, stable = 0; Date.now() - started < TIMEOUT_MS; await sleep(200)) {
		messages = (await control(sandbox, 'GET', `/tenants/${s.tenantId}/messages`)).data;
		if (messages.length >= SENDS) break;
		stable = messages.length === last ? stable + 1 : 0;
		last = messages.length;
		if (stable > 150) break; // 30 s without a new message: the rest are not coming
	}
	const wallMs = Math.max(...messages.map((m) => Date.parse(m.created_at))) - started;
	if (process.env.BENCH_TIMELINE) {
		const perWindow = new Map();
		for (const m of messages) {
			const w = Math.floor((Date.parse(m.created_at) - started) / LIMITED.minute_window_ms);
			perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
		}
		console.error(
			`${s.label}: sends per window from the start: ${[...perWindow]
				.sort((a, b) => a[0] - b[0])
				.map(([, n]) => n)
				.join(' ')}; batch ended after ${secs(batchEndedAt - started)} s`,
		);
	}
	const { data: requests } = await control(sandbox, 'GET', `/tenants/${s.tenantId}/requests`);
	const sends = requests.filter((r) => r.path.endsWith('/messages/template'));
	if (process.env.BENCH_TIMELINE) {
		const windows = new Map();
		for (const r of requests) {
			const w = Math.floor((Date.parse(r.time) - started) / LIMITED.minute_window_ms);
			const kind =
				r.status === 429
					? '429'
					: r.path.endsWith('/messages/template')
						? 'send'
						: `${r.method} ${r.path.replace(/\/[0-9a-f-]{36}/, '/{id}')}`;
			windows.set(w, { ...(windows.get(w) ?? {}), [kind]: ((windows.get(w) ?? {})[kind] ?? 0) + 1 });
		}
		for (const [w, counts] of [...windows].sort((a, b) => a[0] - b[0]).slice(0, 8))
			console.error(`${s.label} window ${w}: ${JSON.stringify(counts)}`);
	}
	const recipients = new Set(messages.map((m) => m.to)).size;
	const batchItems = batch.items('Send');
	const filter = encodeURIComponent(JSON.stringify({ workflowId: s.orders.id, status: ['error', 'crashed'] }));
	const failedOrders = (await main.rest('GET', `/executions?filter=${filter}&limit=100`)).body?.data ?? {};
	const firstFailed = failedOrders.results?.[0] && (await main.waitForExecution(failedOrders.results[0].id));
	if (firstFailed)
		console.error(`${s.label}: ${failedOrders.count} order executions failed, e.g. ${JSON.stringify(firstFailed.error())?.slice(0, 300)}`);
	if (refused) console.error(`${s.label}: ${refused} order webhooks were not taken`);
	return {
		wallMs,
		failed: SENDS - recipients,
		refused,
		batchErrors: batchItems.filter((i) => i.error).length + (batch.error() ? 1 : 0),
		duplicates: messages.length - recipients,
		requests: sends.length,
		throttled: sends.filter((r) => r.status === 429).length,
	};
}

const secs = (ms) => (ms / 1000).toFixed(1);
const pad = (v, n) => String(v).padStart(n);

/** Queue mode: the rate-limited run, then without a limit on two workers and on one. */
async function queueMode(runtime, nodesDir, work, sandbox, rows, scaling) {
	const limited = await scenario(sandbox, 'queue, limited', LIMITED);
	const open = await scenario(sandbox, 'queue, no limit, 2 workers', UNLIMITED);
	const openOne = await scenario(sandbox, 'queue, no limit, 1 worker', UNLIMITED);
	const all = [limited, open, openOne];
	const cluster = await startQueue({
		runtime,
		nodesDir,
		dir: path.join(work, 'queue'),
		credentials: all.map((s) => s.credential),
		workflows: all.flatMap((s) => [s.orders, s.batch]),
		publish: all.map((s) => s.orders.id),
	});
	try {
		await cluster.main.setupOwner();
		console.error('queue mode up: 2 workers, 1 webhook processor');
		const at = (s) => measure(cluster.main, cluster.webhookUrl, sandbox, s);
		rows.push({ label: 'queue mode: main + 2 workers + 1 webhook processor', queue: true, ...(await at(limited)) });
		scaling.push({ label: 'queue mode, 2 workers', ...(await at(open)) });
		await cluster.workers[1].stop();
		scaling.push({ label: 'queue mode, 1 worker', ...(await at(openOne)) });
	} finally {
		await cluster.stop();
	}
}

/** One n8n in regular mode: the same two loads. */
async function oneN8n(runtime, nodesDir, work, sandbox, rows, scaling) {
	const limited = await scenario(sandbox, 'one n8n, limited', LIMITED);
	const open = await scenario(sandbox, 'one n8n, no limit', UNLIMITED);
	const single = N8n.create(runtime, nodesDir, { folder: path.join(work, 'single') });
	await single.importCredentials([limited.credential, open.credential]);
	await single.importWorkflows([limited.orders, limited.batch, open.orders, open.batch]);
	await single.publish([limited.orders.id, open.orders.id]);
	await single.start();
	try {
		await single.setupOwner();
		console.error('one n8n up');
		rows.push({ label: 'one n8n (regular mode)', ...(await measure(single, single.url, sandbox, limited)) });
		scaling.push({ label: 'one n8n (regular mode)', ...(await measure(single, single.url, sandbox, open)) });
	} finally {
		await single.stop();
	}
}

async function main() {
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-queue-'));
	const nodesDir = installPackage(ROOT, path.join(work, 'nodes'));
	const sandbox = await startSandbox({ port: 0 });
	const rows = [];
	const scaling = [];
	try {
		if (MODES.includes('queue')) await queueMode(runtime, nodesDir, work, sandbox, rows, scaling);
		if (MODES.includes('single')) await oneN8n(runtime, nodesDir, work, sandbox, rows, scaling);
	} finally {
		await sandbox.close();
		fs.rmSync(work, { recursive: true, force: true });
	}

	console.log(`
${BURST} order webhooks (${BURST_CONCURRENCY} at a time, one send each) + one ${BATCH}-item execution, started together: ${SENDS} sends, one API key
1. Rate-limited: ${LIMITED.per_minute} requests per ${LIMITED.minute_window_ms / 1000} s; theoretical minimum ${SENDS} ÷ ${LIMITED.per_minute} × ${LIMITED.minute_window_ms / 1000} s = ${secs(MINIMUM_MS)} s
${'n8n'.padEnd(54)}${pad('wall s', 8)}${pad('÷ min', 7)}${pad('failed', 8)}${pad('dup', 5)}${pad('sends', 7)}${pad('429s', 6)}${pad('429 %', 7)}`);
	for (const r of rows) {
		console.log(
			`${r.label.padEnd(54)}${pad(secs(r.wallMs), 8)}${pad((r.wallMs / MINIMUM_MS).toFixed(2) + '×', 7)}${pad(r.failed, 8)}${pad(r.duplicates, 5)}${pad(r.requests, 7)}${pad(r.throttled, 6)}${pad(((100 * r.throttled) / r.requests).toFixed(1), 7)}`,
		);
	}
	const q = rows.find((r) => r.queue) ?? rows[0];
	const met = q.wallMs / MINIMUM_MS <= 1.1 && q.failed === 0 && q.duplicates === 0 && q.throttled / q.requests < 0.02;
	console.log(
		`goal (${q.label}): ≤ 1.10× the minimum, 0 failed, 0 duplicates, 429s under 2 % → ${(q.wallMs / MINIMUM_MS).toFixed(2)}×, ${q.failed} failed, ${q.duplicates} duplicates, ${((100 * q.throttled) / q.requests).toFixed(1)} %: ${met ? 'met' : 'MISSED'}`,
	);
	console.log(`
2. No rate limit (${LATENCY_MS} ms latency per request): the same ${SENDS} sends
${'n8n'.padEnd(54)}${pad('wall s', 8)}${pad('sends/s', 9)}${pad('failed', 8)}${pad('dup', 5)}`);
	for (const r of scaling)
		console.log(
			`${r.label.padEnd(54)}${pad(secs(r.wallMs), 8)}${pad((SENDS / (r.wallMs / 1000)).toFixed(1), 9)}${pad(r.failed, 8)}${pad(r.duplicates, 5)}`,
		);
	console.log(`machine: ${os.cpus().length} CPUs; every n8n process, Postgres, Redis and the sandbox share them`);
}

run(main);
