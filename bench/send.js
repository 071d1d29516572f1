'use strict';
/**
 * `npm run bench:send`: 1,000 template sends in one run of one real n8n against the sandbox (50 ms
 * added latency per request), through the Lynkist Send Template node and through n8n's HTTP
 * Request node wired by hand, each config on a fresh tenant of its own.
 *
 * 1. Rate-limited as production is (100 per 2 s): wall time against the theoretical minimum,
 *    failed items, duplicate sends.
 * 2. Overhead, no rate limit: the node's items/s against a raw keep-alive HTTP client in this
 *    process with the same number of requests in flight, and a concurrency sweep of the node.
 *
 * Not a test. Loopback only; every loop is bounded. BENCH_ITEMS (1000), BENCH_ROUNDS (2, overhead
 * rounds of a and e), BENCH_SWEEP ("5,10,20").
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../scripts/runtime');
const { installPackage } = require('../scripts/install-package');
const { N8n } = require('../scripts/n8n');
const { seedDefinition, startSandbox } = require('../sandbox');
const { control, customersWorkflow, nodeOf, orderValues, run, runOnce, sendTemplateParts } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_ITEMS || 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const SWEEP = (process.env.BENCH_SWEEP || '5,10,20').split(',').map(Number);
const LATENCY_MS = 50;
const LIMITED = { per_minute: 100, minute_window_ms: 2000, per_day: 100000 };
const UNLIMITED = { per_minute: 1_000_000, minute_window_ms: 60_000, per_day: 10_000_000 };
const DEFAULT_CONCURRENCY = 10; // the Send Template node's default (nodes/Lynkist/actions/message/sendTemplate.description.ts)
const HTTP_REQUEST_VERSION = 4.5; // n8n-nodes-base HttpRequest defaultVersion in n8n 2.41.1
const RUN_TIMEOUT_MS = 180_000;

const ORDER_CONFIRMATION = seedDefinition('order_confirmation', 'en_US');
const TOTAL = '19.90 EUR';

/** A fresh tenant with the template: `{ tenantId, key, templateId, credential }`. */
async function tenant(sandbox, name, limits) {
	const { tenant_id: tenantId, key } = await control(sandbox, 'POST', '/tenants', { name, limits, latency_ms: LATENCY_MS });
	const { data } = await control(sandbox, 'POST', `/tenants/${tenantId}/templates`, ORDER_CONFIRMATION);
	const credId = `bench${crypto.randomBytes(6).toString('hex')}`.slice(0, 16);
	return {
		tenantId,
		key,
		templateId: data[0].id,
		credential: { id: credId, name: `bench ${name}`, type: 'lynkistApi', data: { apiKey: key, baseUrl: sandbox.apiUrl } },
	};
}

/** Item i of the N customers: distinct E.164 numbers. */
const phone = (i) => `+1555${String(2000000 + i)}`;

/** The request body the Send Template node sends for one item (checked against the node's own in the output). */
function body(item) {
	return {
		to: item.phone,
		template_name: 'order_confirmation',
		language: 'en_US',
		components: [
			{ type: 'header', parameters: [{ type: 'text', text: item.order }] },
			{
				type: 'body',
				parameters: [
					{ type: 'text', text: item.name },
					{ type: 'text', text: item.order },
					{ type: 'text', text: TOTAL },
				],
			},
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: item.order }] },
		],
	};
}

/** Manual Trigger → Code (ITEMS customers) → `sender`. */
function workflow(name, sender) {
	return customersWorkflow(
		name,
		`return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { phone: '+1555' + String(2000000 + i), name: 'Customer ' + i, order: 'ORD-' + String(100000 + i), key: '00000000-0000-4000-8000-' + String(100000 + i).padStart(12, '0') } }));`,
		sender,
		'Send',
	);
}

function lynkistSend(t, options = {}, extra = {}) {
	const { parameters, credentials } = sendTemplateParts(t, orderValues(TOTAL), options);
	return nodeOf('Send', 'n8n-nodes-lynkist.lynkist', 1, parameters, { credentials, ...extra });
}

/** n8n's HTTP Request node as someone would wire it by hand: same URL, key, body, a per-item Idempotency-Key. */
function httpSend(t, apiUrl, options = {}, extra = {}) {
	const json = `={{ JSON.stringify({ to: $json.phone, template_name: 'order_confirmation', language: 'en_US', components: [ { type: 'header', parameters: [{ type: 'text', text: $json.order }] }, { type: 'body', parameters: [{ type: 'text', text: $json.name }, { type: 'text', text: $json.order }, { type: 'text', text: '${TOTAL}' }] }, { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: $json.order }] } ] }) }}`;
	return nodeOf(
		'Send',
		'n8n-nodes-base.httpRequest',
		HTTP_REQUEST_VERSION,
		{
			method: 'POST',
			url: `${apiUrl}/messages/template`,
			authentication: 'none',
			sendHeaders: true,
			headerParameters: {
				parameters: [
					{ name: 'Authorization', value: `Bearer ${t.key}` },
					{ name: 'Idempotency-Key', value: '={{ $json.key }}' },
				],
			},
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: json,
			options,
		},
		extra,
	);
}

const CONTINUE = { onError: 'continueRegularOutput' };

/** Runs one config's workflow and reads back what reached the sandbox. */
async function measure(n8n, sandbox, config) {
	const { runMs, runs, last: run, items, failed, nodeError } = await runOnce(n8n, config.workflow.id, 'Send', ITEMS, RUN_TIMEOUT_MS);
	const { data: messages } = await control(sandbox, 'GET', `/tenants/${config.t.tenantId}/messages`);
	const { data: replays } = await control(sandbox, 'GET', `/tenants/${config.t.tenantId}/replays`);
	const { data: requests } = await control(sandbox, 'GET', `/tenants/${config.t.tenantId}/requests`);
	const sends = requests.filter((r) => r.path.endsWith('/messages/template'));
	const recipients = new Set(messages.map((m) => m.to)).size;
	return {
		nodeMs: run?.executionTime ?? NaN,
		runMs,
		failed,
		nodeError: nodeError ? String(nodeError.message ?? nodeError).slice(0, 80) : '',
		messages: messages.length,
		recipients,
		duplicates: messages.length - recipients,
		replays: replays.length,
		requests: sends.length,
		throttled: sends.filter((r) => r.status === 429).length,
		tries: runs.length,
		firstItem: items[0]?.json,
	};
}

/** The raw client: ITEMS POSTs from this process, `concurrency` in flight, keep-alive (undici's default). */
async function rawClient(apiUrl, key, concurrency) {
	const items = Array.from({ length: ITEMS }, (_, i) => ({ phone: phone(i), name: `Customer ${i}`, order: `ORD-${100000 + i}` }));
	let next = 0;
	let failed = 0;
	const started = process.hrtime.bigint();
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			const response = await fetch(`${apiUrl}/messages/template`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'idempotency-key': crypto.randomUUID() },
				body: JSON.stringify(body(item)),
			});
			await response.arrayBuffer();
			if (response.status !== 200 && response.status !== 201) failed++;
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return { ms: Number(process.hrtime.bigint() - started) / 1e6, failed };
}

const pad = (value, width) => String(value).padStart(width);
const padEnd = (value, width) => String(value).padEnd(width);
const secs = (ms) => (ms / 1000).toFixed(1);
const rate = (ms) => ITEMS / (ms / 1000);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main() {
	const benchStarted = Date.now();
	const nodeRuntime = ensureNode();
	const runtime = { nodeBin: nodeRuntime.bin, n8nBin: ensureN8n(nodeRuntime).bin };
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-send-'));
	const sandbox = await startSandbox({ port: 0 });
	const n8n = N8n.create(runtime, installPackage(ROOT, path.join(work, 'nodes')), { folder: path.join(work, 'n8n') });
	const api = sandbox.apiUrl;
	try {
		const configs = [];
		const add = async (section, label, limits, build) => {
			const t = await tenant(sandbox, label, limits);
			const config = { section, label, t, workflow: workflow(label, build(t)) };
			configs.push(config);
			return config;
		};
		// 1. Rate-limited, 100 per 2 s.
		const limited = {
			a: await add(1, '(a) Lynkist node, defaults', LIMITED, (t) => lynkistSend(t)),
			b: await add(1, '(b) HTTP Request, defaults, On Error: Continue', LIMITED, (t) => httpSend(t, api, {}, CONTINUE)),
			c: await add(1, '(c) HTTP Request + Retry On Fail, On Error: Continue', LIMITED, (t) =>
				httpSend(t, api, {}, { ...CONTINUE, retryOnFail: true }),
			),
			c2: await add(1, "(c') HTTP Request + Retry On Fail, On Error: Stop", LIMITED, (t) => httpSend(t, api, {}, { retryOnFail: true })),
			d: await add(1, '(d) HTTP Request, batching 100 / 2000 ms, Continue', LIMITED, (t) =>
				httpSend(t, api, { batching: { batch: { batchSize: 100, batchInterval: 2000 } } }, CONTINUE),
			),
		};
		// 2. Overhead, no rate limit. Each run gets its own tenant so sandbox counts never mix.
		const warmup = await add(2, 'warm-up', UNLIMITED, (t) => lynkistSend(t));
		const overhead = { a: [], f: [], sweep: {} };
		for (let r = 0; r < ROUNDS; r++)
			overhead.a.push(await add(2, `(a) Lynkist node, defaults #${r + 1}`, UNLIMITED, (t) => lynkistSend(t)));
		overhead.f.push(await add(2, '(f) HTTP Request, defaults', UNLIMITED, (t) => httpSend(t, api, {}, CONTINUE)));
		for (const c of SWEEP)
			overhead.sweep[c] = await add(2, `Lynkist node, concurrency ${c}`, UNLIMITED, (t) => lynkistSend(t, { concurrency: c }));
		const rawTenants = [];
		for (let r = 0; r < ROUNDS; r++) rawTenants.push(await tenant(sandbox, `raw #${r + 1}`, UNLIMITED));
		const rawWarm = await tenant(sandbox, 'raw warm-up', UNLIMITED);

		await n8n.importCredentials(configs.map((c) => c.t.credential));
		await n8n.importWorkflows(configs.map((c) => c.workflow));
		await n8n.start();
		await n8n.setupOwner();
		const setupMs = Date.now() - benchStarted;

		// Rate-limited section first (each on its own tenant, one after the other).
		const results = {};
		for (const [k, config] of Object.entries(limited)) {
			results[k] = await measure(n8n, sandbox, config);
			console.error(`  measured ${config.label}: node ${secs(results[k].nodeMs)} s`);
		}
		// Overhead: warm up n8n and the raw client, then alternate the node and the raw client.
		await measure(n8n, sandbox, warmup);
		await rawClient(api, rawWarm.key, DEFAULT_CONCURRENCY);
		const aRuns = [];
		const eRuns = [];
		for (let r = 0; r < ROUNDS; r++) {
			aRuns.push(await measure(n8n, sandbox, overhead.a[r]));
			eRuns.push(await rawClient(api, rawTenants[r].key, DEFAULT_CONCURRENCY));
		}
		const fRun = await measure(n8n, sandbox, overhead.f[0]);
		const sweep = {};
		for (const c of SWEEP) sweep[c] = await measure(n8n, sandbox, overhead.sweep[c]);

		// Sanity: the hand-wired body is the node's body (same components), so both do the same work.
		const nodeMessage = (await control(sandbox, 'GET', `/tenants/${overhead.a[0].t.tenantId}/messages`)).data.find(
			(m) => m.to === phone(0),
		);
		const sameBody =
			JSON.stringify(nodeMessage?.components) ===
			JSON.stringify(body({ phone: phone(0), name: 'Customer 0', order: 'ORD-100000' }).components);

		const minimumMs = (ITEMS / LIMITED.per_minute) * LIMITED.minute_window_ms;
		const line = '-'.repeat(132);
		console.log(
			`bench:send — ${ITEMS} items in one run each, n8n 2.41.1, sandbox latency ${LATENCY_MS} ms/request, ${os.cpus().length} CPUs, load avg ${os
				.loadavg()
				.map((x) => x.toFixed(2))
				.join(' ')} (at end)`,
		);
		console.log(line);
		console.log(
			`1. Rate-limited: ${LIMITED.per_minute} requests per ${LIMITED.minute_window_ms / 1000} s, fresh tenant per config; theoretical minimum ${ITEMS} ÷ ${LIMITED.per_minute} × ${LIMITED.minute_window_ms / 1000} s = ${secs(minimumMs)} s`,
		);
		console.log(
			`${padEnd('config', 54)}${pad('node s', 8)}${pad('run s', 8)}${pad('÷ min', 7)}${pad('failed', 8)}${pad('dup', 5)}${pad('sent', 6)}${pad('POSTs', 7)}${pad('429s', 6)}${pad('replays', 9)}${pad('tries', 7)}`,
		);
		for (const [k, config] of Object.entries(limited)) {
			const x = results[k];
			console.log(
				`${padEnd(config.label, 54)}${pad(secs(x.nodeMs), 8)}${pad(secs(x.runMs), 8)}${pad((x.nodeMs / minimumMs).toFixed(2) + '×', 7)}${pad(x.failed, 8)}${pad(x.duplicates, 5)}${pad(x.messages, 6)}${pad(x.requests, 7)}${pad(x.throttled, 6)}${pad(x.replays, 9)}${pad(x.tries, 7)}`,
			);
			if (x.nodeError) console.log(`${' '.repeat(4)}node stopped: ${x.nodeError}`);
		}
		const a = results.a;
		const aOk = a.nodeMs / minimumMs <= 1.1 && a.failed === 0 && a.duplicates === 0;
		console.log(
			`goal (a): ≤ 1.10× the minimum, 0 failed, 0 duplicates → ${(a.nodeMs / minimumMs).toFixed(2)}×, ${a.failed} failed, ${a.duplicates} duplicates: ${aOk ? 'met' : 'MISSED'}`,
		);
		console.log(
			`(node s = the Send node's executionTime, all its tries for (c'); run s = start to finish of the execution as the bench sees it; dup = messages at the sandbox − distinct recipients;`,
		);
		console.log(
			` replays = sends the sandbox answered from an earlier Idempotency-Key instead of messaging again; tries = node runs n8n recorded)`,
		);
		console.log(line);
		const aRate = mean(aRuns.map((x) => rate(x.nodeMs)));
		const eRate = mean(eRuns.map((x) => rate(x.ms)));
		console.log(
			`2. Overhead, no rate limit (same ${LATENCY_MS} ms latency), items/s over the send itself (node executionTime; raw client's own clock), ${ROUNDS} alternating rounds`,
		);
		console.log(
			`${padEnd('(a) Lynkist node, defaults (concurrency 10)', 54)}${pad(aRate.toFixed(1), 8)} items/s  (rounds: ${aRuns.map((x) => rate(x.nodeMs).toFixed(1)).join(', ')}; failed ${aRuns.map((x) => x.failed).join(', ')})`,
		);
		console.log(
			`${padEnd('(e) raw fetch, keep-alive, 10 in flight, in the bench', 54)}${pad(eRate.toFixed(1), 8)} items/s  (rounds: ${eRuns.map((x) => rate(x.ms).toFixed(1)).join(', ')}; failed ${eRuns.map((x) => x.failed).join(', ')})`,
		);
		console.log(
			`${padEnd('(f) HTTP Request node, defaults (all at once)', 54)}${pad(rate(fRun.nodeMs).toFixed(1), 8)} items/s  (failed ${fRun.failed})`,
		);
		console.log(
			`a/e = ${(aRate / eRate).toFixed(2)} — goal ≥ 0.80: ${aRate / eRate >= 0.8 ? 'met' : 'MISSED'}   (ceiling at 10 in flight × ${LATENCY_MS} ms: ${(DEFAULT_CONCURRENCY * 1000) / LATENCY_MS} items/s)`,
		);
		console.log(
			`Lynkist node concurrency sweep: ${SWEEP.map((c) => `${c} → ${rate(sweep[c].nodeMs).toFixed(1)} items/s (failed ${sweep[c].failed})`).join(' · ')}`,
		);
		console.log(line);
		console.log(
			`node and hand-wired request bodies identical: ${sameBody ? 'yes' : 'NO'} · set-up ${secs(setupMs)} s · whole bench ${secs(Date.now() - benchStarted)} s`,
		);
	} finally {
		await n8n.dispose();
		await sandbox.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

run(main);
