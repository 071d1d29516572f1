'use strict';
/**
 * `npm run bench:faults`: Send Template through a real n8n against a sandbox that misbehaves, with
 * the sandbox's own record of committed messages as the ground truth.
 *
 * 1. Mixed faults: BENCH_FAULT_ITEMS (10,000) items in one execution (On Error → Continue) while
 *    the sandbox loses answers after committing the message, answers 502 and 504, resets
 *    connections and throws 429 storms.
 * 2. A crash: BENCH_KILL_ITEMS (2,000) items started by an order webhook; n8n is killed with
 *    SIGKILL while it sends, started again, and the execution retried from the Executions list,
 *    as a user would.
 *
 * Prints, per scenario: sent (distinct recipients that got a message), duplicates (messages −
 * distinct recipients), lost (expected − sent − failures reported per item), failures reported.
 * Goal: 0 duplicates, 0 lost. `faultSuite` is also run, small, by the tests. Not a test itself.
 * Loopback only; every loop is bounded in count and time.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { N8n } = require('../scripts/n8n');
const { seedDefinition, startSandbox } = require('../sandbox');
const { control, nodeOf, orderValues, run, sendTemplateParts } = require('./common');

const ORDER_CONFIRMATION = seedDefinition('order_confirmation', 'en_US');
const UNLIMITED = { per_minute: 1_000_000, minute_window_ms: 60_000, per_day: 10_000_000 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function tenant(sandbox, name, latencyMs) {
	const { tenant_id: id, key } = await control(sandbox, 'POST', '/tenants', {
		name,
		limits: UNLIMITED,
		latency_ms: latencyMs,
		lifecycle: { enabled: false },
	});
	const { data } = await control(sandbox, 'POST', `/tenants/${id}/templates`, ORDER_CONFIRMATION);
	const credential = {
		id: `flt${crypto.randomBytes(6).toString('hex')}`.slice(0, 16),
		name: `faults ${name}`,
		type: 'lynkistApi',
		data: { apiKey: key, baseUrl: sandbox.apiUrl },
	};
	return { id, templateId: data[0].id, credential };
}

/**
 * The faults of scenario 1, spread over the sends (`every` N-th matching request), and how many
 * of each: together about one send in twelve meets one.
 */
function mixedFaults(items) {
	const times = (every) => Math.max(1, Math.floor(items / every));
	const send = { method: 'POST', path: '/messages/template' };
	return [
		{ label: 'answer lost after commit', kind: 'lost_response', ...send, every: 47, times: times(47) },
		{ label: '502', kind: 'status', status: 502, ...send, every: 53, times: times(53) },
		{ label: '504', kind: 'status', status: 504, ...send, every: 59, times: times(59) },
		{ label: 'connection reset', kind: 'reset', ...send, every: 61, times: times(61) },
		{
			label: '429 storm (Retry-After 1)',
			kind: 'status',
			status: 429,
			...send,
			every: 1,
			times: Math.min(60, times(100)),
			headers: { 'Retry-After': '1' },
			detail: 'Rate limit exceeded. Please slow down.',
		},
		{
			label: 'scattered 429s',
			kind: 'status',
			status: 429,
			...send,
			every: 71,
			times: times(71),
			headers: { 'Retry-After': '1' },
			detail: 'Rate limit exceeded. Please slow down.',
		},
	];
}

/** start → Customers (count) → Send; `start` is a Manual Trigger or an n8n Webhook node. */
function workflow(name, t, count, start) {
	const customers = nodeOf('Customers', 'n8n-nodes-base.code', 2, {
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: '+1556' + String(2000000 + i), name: 'Customer ' + i, order: 'ORD-' + String(100000 + i) } }));`,
	});
	const { parameters, credentials } = sendTemplateParts(t, orderValues('19.90 EUR'));
	const send = nodeOf('Send', 'n8n-nodes-lynkist.lynkist', 1, parameters, { credentials, onError: 'continueRegularOutput' });
	return {
		id: `flt${crypto.randomBytes(6).toString('hex')}`.slice(0, 16),
		name,
		active: false,
		nodes: [start, customers, send],
		connections: {
			[start.name]: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** What reached the sandbox, against what the node reported. */
async function tally(sandbox, t, expected, reportedFailures) {
	const { data: messages } = await control(sandbox, 'GET', `/tenants/${t.id}/messages`);
	const sent = new Set(messages.map((m) => m.to)).size;
	return { expected, sent, duplicates: messages.length - sent, lost: expected - sent - reportedFailures, failed: reportedFailures };
}

/** Failures the node reported per item in an execution's Send output. */
const failuresIn = (execution) => (execution.runData.Send?.at(-1)?.data?.main?.[0] ?? []).filter((i) => i.json.error).length;

/**
 * Runs both scenarios in one n8n: `{ mixed, crash }`, each `{ expected, sent, duplicates, lost,
 * failed, ... }`. `runtime` is `{ nodeBin, n8nBin }`, `nodesDir` an installed `.n8n/nodes`.
 */
async function faultSuite({ runtime, nodesDir, items = 10_000, killItems = 2_000, log = () => {} }) {
	const sandbox = await startSandbox({ port: 0 });
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-faults-'));
	const n8n = N8n.create(runtime, nodesDir, { folder });
	try {
		const mixedTenant = await tenant(sandbox, 'mixed', 2);
		const crashTenant = await tenant(sandbox, 'crash', 40);
		const mixedWorkflow = workflow('faults: mixed', mixedTenant, items, nodeOf('Start', 'n8n-nodes-base.manualTrigger', 1, {}));
		const hookPath = crypto.randomUUID();
		const crashWorkflow = workflow('faults: crash', crashTenant, killItems, {
			...nodeOf('Order webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived' }),
			webhookId: crypto.randomUUID(),
		});
		await n8n.importCredentials([mixedTenant.credential, crashTenant.credential]);
		await n8n.importWorkflows([mixedWorkflow, crashWorkflow]);
		await n8n.publish([crashWorkflow.id]);
		await n8n.start();
		await n8n.setupOwner();

		// 1. Mixed faults.
		const faults = mixedFaults(items);
		for (const { label, ...spec } of faults) await control(sandbox, 'POST', `/tenants/${mixedTenant.id}/faults`, spec);
		const started = Date.now();
		const execution = await n8n.run(mixedWorkflow.id, { timeoutMs: 30 * 60_000 });
		const seconds = (Date.now() - started) / 1000;
		const { data: left } = await control(sandbox, 'GET', `/tenants/${mixedTenant.id}/faults`);
		const hits = faults.map((f, i) => ({
			label: f.label,
			hit: f.times - (left.find((l) => l.every === f.every && l.kind === f.kind && l.status === f.status)?.times ?? 0),
			i,
		}));
		const mixed = { ...(await tally(sandbox, mixedTenant, items, failuresIn(execution))), seconds, faults: hits };
		log(`mixed faults: ${JSON.stringify(mixed)}`);

		// 2. n8n killed while it sends, started again, the execution retried.
		let response = { status: 404 };
		for (const deadline = Date.now() + 60_000; response.status === 404 && Date.now() < deadline; await sleep(250)) {
			response = await fetch(`${n8n.url}/webhook/${hookPath}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
			});
		}
		if (response.status !== 200) throw new Error(`the order webhook answered ${response.status}`);
		let before = 0;
		for (const deadline = Date.now() + 120_000; before < killItems * 0.4 && Date.now() < deadline; await sleep(100)) {
			before = (await control(sandbox, 'GET', `/tenants/${crashTenant.id}/messages`)).data.length;
		}
		await n8n.kill();
		const atKill = (await control(sandbox, 'GET', `/tenants/${crashTenant.id}/messages`)).data.length;
		log(`killed n8n with ${atKill} of ${killItems} messages committed`);
		await n8n.start();
		await n8n.login();
		const [crashed] = await n8n.executions(crashWorkflow.id);
		const retried = await n8n.retry(crashed.id);
		const retry = await n8n.waitForExecution(retried.id, 10 * 60_000);
		const crash = {
			...(await tally(sandbox, crashTenant, killItems, failuresIn(retry))),
			committedAtKill: atKill,
			crashedStatus: crashed.status,
			retryStatus: retry.raw.status,
		};
		log(`crash: ${JSON.stringify(crash)}`);
		return { mixed, crash };
	} finally {
		await n8n.dispose();
		await sandbox.close();
	}
}

module.exports = { faultSuite };

async function main() {
	const { ensureN8n, ensureNode } = require('../scripts/runtime');
	const { installPackage } = require('../scripts/install-package');
	const items = Number(process.env.BENCH_FAULT_ITEMS || 10_000);
	const killItems = Number(process.env.BENCH_KILL_ITEMS || 2_000);
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-faults-'));
	const nodesDir = installPackage(path.resolve(__dirname, '..'), path.join(work, 'nodes'));
	const started = Date.now();
	const { mixed, crash } = await faultSuite({ runtime, nodesDir, items, killItems, log: (line) => console.error(`  ${line}`) });
	fs.rmSync(work, { recursive: true, force: true });

	const row = (label, r) =>
		`${label.padEnd(58)}${String(r.expected).padStart(7)}${String(r.sent).padStart(7)}${String(r.duplicates).padStart(6)}${String(r.lost).padStart(6)}${String(r.failed).padStart(8)}`;
	const line = '-'.repeat(92);
	console.log(`bench:faults — Send Template in n8n 2.41.1 against the sandbox, defaults, On Error: Continue, ${os.cpus().length} CPUs`);
	console.log(line);
	console.log(
		`${'scenario'.padEnd(58)}${'items'.padStart(7)}${'sent'.padStart(7)}${'dup'.padStart(6)}${'lost'.padStart(6)}${'failed'.padStart(8)}`,
	);
	console.log(row(`1. mixed faults, one execution (${mixed.seconds.toFixed(0)} s)`, mixed));
	console.log(row(`2. n8n SIGKILLed mid-run (${crash.committedAtKill} sent), restarted, Retry`, crash));
	console.log(line);
	console.log(`faults met in 1: ${mixed.faults.map((f) => `${f.label} ${f.hit}`).join(' · ')}`);
	console.log(`2: the killed execution was "${crash.crashedStatus}" after the restart; its Retry "${crash.retryStatus}"`);
	console.log(
		'sent = distinct recipients with a message at the sandbox; dup = messages − sent; lost = items − sent − failed; failed = error items the node reported',
	);
	const met = mixed.duplicates === 0 && mixed.lost === 0 && crash.duplicates === 0 && crash.lost === 0;
	console.log(`goal: 0 duplicates, 0 lost → ${met ? 'met' : 'MISSED'} · whole bench ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (require.main === module) run(main);
