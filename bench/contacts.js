'use strict';
/**
 * `npm run bench:contacts`: 1,000 shop customers (phone, name, email, tags, a custom field) synced
 * to Lynkist contacts in one run of one real n8n against the sandbox (50 ms added latency per
 * request, 100 requests per 2 s as production), each config on a fresh tenant of its own:
 *
 * 1. n8n's HTTP Request node wired by hand, one `POST /contacts` per item: with its defaults, and
 *    with batching tuned by hand to the rate limit (the baseline of the ratios).
 * 2. Contact → Create or Update, first run: every contact created.
 * 3. The same workflow again on the same tenant: every contact updated, none twice.
 * 4. Contact → Create or Update while Lynkist refuses the bulk body (404): one request per item.
 *
 * For each: run time, requests Lynkist saw and how many were 429s, and what Lynkist holds
 * afterwards (created, updated, failed, duplicates), read back through the API. Exits 1 when a
 * config loses or duplicates a contact, or a node config does not end with exactly the 1,000.
 *
 * Not a test. Loopback only; every loop is bounded. BENCH_ITEMS (1000).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../scripts/runtime');
const { installPackage } = require('../scripts/install-package');
const { N8n } = require('../scripts/n8n');
const { startSandbox } = require('../sandbox');
const { control, customersWorkflow, nodeOf, run, runOnce } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_ITEMS || 1000);
const LATENCY_MS = 50;
const LIMITED = { per_minute: 100, minute_window_ms: 2000, per_day: 1_000_000 };
const HTTP_REQUEST_VERSION = 4.5; // n8n-nodes-base HttpRequest defaultVersion in n8n 2.41.1
const RUN_TIMEOUT_MS = 300_000;
const PAGE = 100; // the Contacts API's largest page
const ORDER = ['1a', '1b', '2', '3', '4'];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Customer i as the shop has them, and the contact Lynkist should hold for them. */
const customer = (i) => ({
	phone: `+1555${String(3000000 + i)}`,
	name: `Customer ${i}`,
	email: `customer${i}@shop.example`,
	tags: i % 10 ? 'shop' : 'shop, vip',
	shopId: `S${String(100000 + i)}`,
});
const expectedContact = (c) => ({
	first_name: c.name,
	phone: c.phone,
	email: c.email,
	tags: c.tags.split(', '),
	custom_fields: { shop_id: c.shopId },
});
const EXPECTED = new Map(Array.from({ length: ITEMS }, (_, i) => customer(i)).map((c) => [c.phone, expectedContact(c)]));

/** A fresh tenant rate-limited as production is: `{ tenantId, key, credential }`. */
async function tenant(sandbox, name) {
	const { tenant_id: tenantId, key } = await control(sandbox, 'POST', '/tenants', { name, limits: LIMITED, latency_ms: LATENCY_MS });
	const credId = `bench${crypto.randomBytes(6).toString('hex')}`.slice(0, 16);
	return {
		tenantId,
		key,
		credential: { id: credId, name: `bench ${name}`, type: 'lynkistApi', data: { apiKey: key, baseUrl: sandbox.apiUrl } },
	};
}

/** Manual Trigger → Code (ITEMS customers) → `sync`. */
function workflow(name, sync) {
	return customersWorkflow(
		name,
		`return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { phone: '+1555' + String(3000000 + i), name: 'Customer ' + i, email: 'customer' + i + '@shop.example', tags: i % 10 ? 'shop' : 'shop, vip', shopId: 'S' + String(100000 + i) } }));`,
		sync,
		'Sync',
	);
}

/** Contact → Create or Update with its defaults, the customer's fields mapped. */
function lynkistUpsert(t) {
	return nodeOf(
		'Sync',
		'n8n-nodes-lynkist.lynkist',
		1,
		{
			resource: 'contact',
			operation: 'upsert',
			phone: '={{ $json.phone }}',
			first_name: '={{ $json.name }}',
			additionalFields: {
				email: '={{ $json.email }}',
				tags: '={{ $json.tags }}',
				custom_fields: { field: [{ key: 'shop_id', value: '={{ $json.shopId }}' }] },
			},
		},
		{ credentials: { lynkistApi: { id: t.credential.id, name: t.credential.name } } },
	);
}

/** n8n's HTTP Request node as someone would wire it by hand: one `POST /contacts` per item, same fields. */
function httpCreate(t, apiUrl, options = {}) {
	return nodeOf(
		'Sync',
		'n8n-nodes-base.httpRequest',
		HTTP_REQUEST_VERSION,
		{
			method: 'POST',
			url: `${apiUrl}/contacts`,
			authentication: 'none',
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${t.key}` }] },
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody:
				"={{ JSON.stringify({ first_name: $json.name, phone: $json.phone, email: $json.email, tags: $json.tags.split(', '), custom_fields: { shop_id: $json.shopId } }) }}",
			options,
		},
		{ onError: 'continueRegularOutput' },
	);
}

/** Every live contact of the tenant, through the public API (a 429 waits out its Retry-After). */
async function contactsOf(sandbox, t) {
	const all = [];
	for (let page = 1, tries = 0; page <= 1000 && tries < 20;) {
		const response = await fetch(`${sandbox.apiUrl}/contacts?limit=${PAGE}&page=${page}`, {
			headers: { authorization: `Bearer ${t.key}` },
		});
		const body = await response.json();
		if (response.status === 429) {
			tries++;
			await sleep(Number(response.headers.get('retry-after') || 1) * 1000);
			continue;
		}
		if (!response.ok) throw new Error(`GET /contacts page ${page}: ${response.status} ${JSON.stringify(body)}`);
		all.push(...body.data);
		if (!body.pagination?.has_next) return all;
		page++;
	}
	throw new Error('could not read the contacts back');
}

/** Until just after the next rate-limit window starts (the sandbox's windows are aligned to the clock). */
const nextWindow = () => sleep(LIMITED.minute_window_ms - (Date.now() % LIMITED.minute_window_ms) + 50);

const sameFields = (contact, want) =>
	want !== undefined &&
	contact.first_name === want.first_name &&
	contact.email === want.email &&
	JSON.stringify(contact.tags) === JSON.stringify(want.tags) &&
	JSON.stringify(contact.custom_fields) === JSON.stringify(want.custom_fields);

/**
 * Runs one config's workflow and compares what Lynkist holds after it with `before` (the
 * tenant's contacts before the run).
 */
async function measure(n8n, sandbox, config, before = []) {
	const logBefore = (await control(sandbox, 'GET', `/tenants/${config.t.tenantId}/requests`)).data.length;
	await nextWindow();
	const { runMs, last, items, failed: reportedFailed, nodeError } = await runOnce(n8n, config.workflow.id, 'Sync', ITEMS, RUN_TIMEOUT_MS);
	const requests = (await control(sandbox, 'GET', `/tenants/${config.t.tenantId}/requests`)).data.slice(logBefore);

	const after = await contactsOf(sandbox, config.t);
	const was = new Map(before.map((c) => [c.id, c]));
	const phones = new Set(after.map((c) => c.phone));
	const created = after.filter((c) => !was.has(c.id));
	const updated = after.filter((c) => was.has(c.id) && was.get(c.id).updated_at !== c.updated_at);
	const touched = new Set([...created, ...updated].filter((c) => EXPECTED.has(c.phone)).map((c) => c.phone));
	const failed = ITEMS - touched.size;
	const mix = new Map();
	for (const r of requests) {
		const key = `${r.method} ${r.path.split('/public')[1].replace(/[0-9a-f-]{36}/, '{id}')}${r.status >= 400 ? ` ${r.status}` : ''}`;
		mix.set(key, (mix.get(key) ?? 0) + 1);
	}
	const firstAnswer = Math.min(...requests.map((r) => Date.parse(r.time)));
	return {
		runMs,
		nodeMs: last?.executionTime ?? NaN,
		firstAnswerMs: firstAnswer - (last?.startTime ?? NaN),
		nodeError: nodeError ? String(nodeError.message ?? nodeError).slice(0, 100) : '',
		requests: requests.length,
		throttled: requests.filter((r) => r.status === 429).length,
		mix,
		contacts: after,
		held: after.length,
		created: created.length,
		updated: updated.length,
		failed,
		reportedFailed,
		duplicates: after.length - phones.size,
		lost: Math.max(0, failed - reportedFailed),
		wrongFields: after.filter((c) => !sameFields(c, EXPECTED.get(c.phone))).length,
		strangers: after.filter((c) => !EXPECTED.has(c.phone)).length,
		nodeActions: {
			created: items.filter((i) => i.json.action === 'created').length,
			updated: items.filter((i) => i.json.action === 'updated').length,
		},
	};
}

const pad = (value, width) => String(value).padStart(width);
const padEnd = (value, width) => String(value).padEnd(width);
const secs = (ms) => (ms / 1000).toFixed(1);

async function main() {
	const benchStarted = Date.now();
	const nodeRuntime = ensureNode();
	const runtime = { nodeBin: nodeRuntime.bin, n8nBin: ensureN8n(nodeRuntime).bin };
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-contacts-'));
	const sandbox = await startSandbox({ port: 0 });
	let n8n;
	try {
		n8n = N8n.create(runtime, installPackage(ROOT, path.join(work, 'nodes')), { folder: path.join(work, 'n8n') });
		const api = sandbox.apiUrl;
		const configs = {};
		const add = async (key, label, build) => {
			const t = await tenant(sandbox, label);
			configs[key] = { key, label, t, workflow: workflow(label, build(t)) };
		};
		await add('1a', '1a. HTTP Request, defaults, On Error: Continue', (t) => httpCreate(t, api));
		await add('1b', '1b. HTTP Request, batching 100 / 2000 ms, Continue', (t) =>
			httpCreate(t, api, { batching: { batch: { batchSize: 100, batchInterval: 2000 } } }),
		);
		await add('2', '2. Create or Update (first run)', (t) => lynkistUpsert(t));
		configs['3'] = { ...configs['2'], key: '3', label: '3. Create or Update, same again' };
		await add('4', '4. Create or Update, bulk refused (404)', (t) => lynkistUpsert(t));
		await control(sandbox, 'POST', `/tenants/${configs['4'].t.tenantId}/faults`, {
			kind: 'status',
			method: 'POST',
			path: '/contacts/bulk',
			status: 404,
			times: 1000,
		});

		const own = Object.values(configs).filter((c) => c.key !== '3'); // 3 runs 2's workflow again
		await n8n.importCredentials(own.map((c) => c.t.credential));
		await n8n.importWorkflows(own.map((c) => c.workflow));
		await n8n.start();
		await n8n.setupOwner();
		const setupMs = Date.now() - benchStarted;

		const results = {};
		for (const key of ORDER) {
			const before = key === '3' ? results['2'].contacts : [];
			results[key] = await measure(n8n, sandbox, configs[key], before);
			console.error(`  measured ${configs[key].label}: run ${secs(results[key].runMs)} s, ${results[key].requests} requests`);
		}

		// What each config must end with: the node configs exactly the 1,000, every one created or updated.
		const problems = [];
		for (const key of ORDER) {
			const x = results[key];
			const label = configs[key].label;
			if (x.duplicates) problems.push(`${label}: ${x.duplicates} duplicate contacts`);
			if (x.lost) problems.push(`${label}: ${x.lost} contacts lost (not at Lynkist, not reported as failed)`);
			if (x.wrongFields) problems.push(`${label}: ${x.wrongFields} contacts with other fields than their customer's`);
			if (x.strangers) problems.push(`${label}: ${x.strangers} contacts that are no customer's`);
		}
		const want = { '1b': ['created', ITEMS], 2: ['created', ITEMS], 3: ['updated', ITEMS], 4: ['created', ITEMS] };
		for (const [key, [action, count]] of Object.entries(want)) {
			const x = results[key];
			const label = configs[key].label;
			if (x.held !== ITEMS || x.failed || x[action] !== count)
				problems.push(`${label}: Lynkist holds ${x.held} contacts, ${x.created} created, ${x.updated} updated, ${x.failed} failed`);
			if (key !== '1b' && (x.nodeActions.created !== x.created || x.nodeActions.updated !== x.updated))
				problems.push(`${label}: the node reported ${x.nodeActions.created} created and ${x.nodeActions.updated} updated`);
		}

		const base = results['1b'];
		const line = '-'.repeat(126);
		console.log(
			`bench:contacts — ${ITEMS} shop customers → Lynkist contacts, one run each, n8n 2.41.1, sandbox latency ${LATENCY_MS} ms/request, ${os.cpus().length} CPUs, load avg ${os
				.loadavg()
				.map((x) => x.toFixed(2))
				.join(' ')} (at end)`,
		);
		console.log(
			`rate limit ${LIMITED.per_minute} requests per ${LIMITED.minute_window_ms / 1000} s, a fresh tenant per config (3 reuses 2's); each run starts just after a window begins`,
		);
		console.log(line);
		console.log(
			`${padEnd('config', 52)}${pad('node s', 8)}${pad('run s', 7)}${pad('requests', 10)}${pad('429s', 6)}${pad('created', 9)}${pad('updated', 9)}${pad('failed', 8)}${pad('dup', 5)}${pad('time ÷ b', 10)}${pad('req ÷ b', 9)}`,
		);
		for (const key of ORDER) {
			const config = configs[key];
			const x = results[key];
			console.log(
				`${padEnd(config.label, 52)}${pad(secs(x.nodeMs), 8)}${pad(secs(x.runMs), 7)}${pad(x.requests, 10)}${pad(x.throttled, 6)}${pad(x.created, 9)}${pad(x.updated, 9)}${pad(x.failed, 8)}${pad(x.duplicates, 5)}${pad((x.runMs / base.runMs).toFixed(2) + '×', 10)}${pad((x.requests / base.requests).toFixed(3) + '×', 9)}`,
			);
			if (x.nodeError) console.log(`    node stopped: ${x.nodeError}`);
		}
		console.log(line);
		for (const key of ORDER)
			console.log(
				`${padEnd(key, 3)} first answer ${secs(results[key].firstAnswerMs)} s into the node · ${[...results[key].mix].map(([k, n]) => `${k} ×${n}`).join(' · ')}`,
			);
		console.log(
			`(node s = the Sync node's executionTime; run s = start to finish of the execution as the bench sees it; b = 1b, HTTP Request batched by hand;`,
		);
		console.log(
			` created/updated/failed/dup = Lynkist's contacts read back after the run: new ones, changed ones, customers neither, contacts − distinct phones;`,
		);
		console.log(` first answer = when Lynkist answered the run's first request, counted from the start of the Sync node)`);
		console.log(line);
		console.log(
			`goal: no contact lost or duplicated, the node configs end with exactly the ${ITEMS}: ${problems.length ? 'MISSED' : 'met'} · set-up ${secs(setupMs)} s · whole bench ${secs(Date.now() - benchStarted)} s`,
		);
		if (problems.length) {
			for (const p of problems) console.log(`  ${p}`);
			process.exitCode = 1;
		}
	} finally {
		await n8n?.dispose();
		await sandbox.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

run(main);
