'use strict';
/**
 * `npm run bench:trigger`: signed Lynkist events per second through the Lynkist Trigger versus
 * n8n's plain Webhook node, in one real n8n, same events, same concurrency, alternating rounds.
 * An event counts once its execution is saved. Loopback only; every loop is bounded.
 * Run in three n8n configurations, one after the other (see CONFIGS).
 * BENCH_EVENTS (per round, 100), BENCH_ROUNDS (2), BENCH_CONCURRENCY (8).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../scripts/runtime');
const { installPackage } = require('../scripts/install-package');
const { N8n } = require('../scripts/n8n');
const { startSandbox } = require('../sandbox');
const { control, run } = require('./common');
const { sign } = require('../sandbox/events/signing');

const ROOT = path.resolve(__dirname, '..');
const EVENTS = Number(process.env.BENCH_EVENTS || 100);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY || 8);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function workflow(id, name, node) {
	return { id, name, active: false, nodes: [{ position: [0, 0], ...node }], connections: {}, settings: { executionOrder: 'v1' } };
}

async function executionCount(n8n, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { body } = await n8n.rest('GET', `/executions?filter=${filter}&limit=1`);
	return body.data.count;
}

/** Fires `EVENTS` signed events at `url` and waits until the workflow has executed them all: events/s. */
async function round(n8n, url, workflowId, { id: webhookId, secret }) {
	const before = await executionCount(n8n, workflowId);
	const requests = Array.from({ length: EVENTS }, () => {
		const body = JSON.stringify({
			id: `evt_${crypto.randomBytes(12).toString('hex')}`,
			type: 'message.delivered',
			created_at: new Date().toISOString(),
			data: {
				message_id: `wamid.${crypto.randomBytes(16).toString('hex')}`,
				to: '+15550100001',
				status: 'delivered',
				template_name: 'order_confirmation',
				language: 'en_US',
				timestamp: new Date().toISOString(),
			},
		});
		return body;
	});
	const started = Date.now();
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const body = requests[next++];
			const timestamp = String(Math.floor(Date.now() / 1000));
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-lynkist-event': 'message.delivered',
					'x-lynkist-delivery': `dlv_${crypto.randomBytes(12).toString('hex')}`,
					'x-lynkist-timestamp': timestamp,
					'x-lynkist-webhook-id': webhookId,
					'x-lynkist-signature': sign(secret, timestamp, body),
				},
				body,
			});
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	for (const deadline = Date.now() + 300_000; (await executionCount(n8n, workflowId)) < before + EVENTS;) {
		if (Date.now() > deadline) throw new Error('executions did not finish in 5 minutes');
		await sleep(100);
	}
	return EVENTS / ((Date.now() - started) / 1000);
}

/** One n8n started with `env`: the trigger's and the Webhook node's events/s over `ROUNDS` alternating rounds. */
async function measure(runtime, sandbox, env) {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-'));
	const n8n = N8n.create(runtime, installPackage(ROOT, path.join(work, 'nodes')), { folder: path.join(work, 'n8n') });
	try {
		const { tenant_id: tenantId, key } = await control(sandbox, 'POST', '/tenants', {});
		const credential = {
			id: 'benchLynkist0001',
			name: 'Lynkist sandbox',
			type: 'lynkistApi',
			data: { apiKey: key, baseUrl: sandbox.apiUrl },
		};
		const triggerHook = crypto.randomUUID();
		const plainHook = crypto.randomUUID();
		const lynkist = workflow('benchTrigger0001', 'bench: Lynkist Trigger', {
			id: 'n1',
			name: 'Lynkist Trigger',
			type: 'n8n-nodes-lynkist.lynkistTrigger',
			typeVersion: 1.1,
			webhookId: triggerHook,
			parameters: {},
			credentials: { lynkistApi: { id: credential.id, name: credential.name } },
		});
		const plain = workflow('benchWebhook0001', 'bench: Webhook', {
			id: 'n2',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			webhookId: plainHook,
			parameters: { httpMethod: 'POST', path: plainHook, responseMode: 'onReceived', options: {} },
		});
		await n8n.importCredentials([credential]);
		await n8n.importWorkflows([lynkist, plain]);
		await n8n.publish([lynkist.id, plain.id]);
		await n8n.start({ env });
		await n8n.setupOwner();
		let endpoint;
		for (const deadline = Date.now() + 60_000; !endpoint && Date.now() < deadline; await sleep(250)) {
			endpoint = (await control(sandbox, 'GET', `/tenants/${tenantId}/webhooks`)).data[0];
		}
		if (!endpoint) throw new Error('the Lynkist Trigger did not register its endpoint');

		const urls = { trigger: `${n8n.url}/webhook/${triggerHook}/webhook`, plain: `${n8n.url}/webhook/${plainHook}` };
		await round(n8n, urls.plain, plain.id, endpoint); // warm-up, not counted
		const rates = { trigger: [], plain: [] };
		for (let r = 0; r < ROUNDS; r++) {
			rates.trigger.push(await round(n8n, urls.trigger, lynkist.id, endpoint));
			rates.plain.push(await round(n8n, urls.plain, plain.id, endpoint));
		}
		return rates;
	} finally {
		await n8n.dispose();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

/**
 * n8n 2.41 creates an expression isolate for each webhook request before the node runs, except for
 * its own Webhook node (`webhookPhaseNeedsIsolate` in n8n's live-webhooks.js). So: n8n as
 * installed; n8n without that exemption, so both nodes pay the same; and n8n creating isolates only
 * when an expression needs one (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE), for every node alike.
 */
const CONFIGS = [
	{ label: 'n8n defaults', env: {} },
	{ label: 'N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false', env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' } },
	{ label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
];

async function main() {
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };
	const sandbox = await startSandbox({ port: 0 });
	try {
		const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
		const rows = [];
		for (const config of CONFIGS) rows.push({ ...config, rates: await measure(runtime, sandbox, config.env) });
		console.log(`${ROUNDS} rounds × ${EVENTS} signed events per node, concurrency ${CONCURRENCY}, n8n 2.41.1, ${os.cpus().length} CPUs`);
		console.log(`${'n8n configuration'.padEnd(56)}${'Lynkist Trigger'.padStart(18)}${'Webhook node'.padStart(16)}${'ratio'.padStart(9)}`);
		for (const { label, rates } of rows) {
			const trigger = mean(rates.trigger);
			const webhook = mean(rates.plain);
			console.log(
				`${label.padEnd(56)}${`${trigger.toFixed(1)} ev/s`.padStart(18)}${`${webhook.toFixed(1)} ev/s`.padStart(16)}${`${(webhook / trigger).toFixed(2)}×`.padStart(9)}`,
			);
			console.log(
				`${''.padEnd(56)}  rounds: ${rates.trigger.map((x) => x.toFixed(1)).join(', ')} | ${rates.plain.map((x) => x.toFixed(1)).join(', ')}`,
			);
		}
		console.log('ratio = Webhook node rate ÷ Lynkist Trigger rate (the cost of the trigger per event); goal ≤ 1.20×');
	} finally {
		await sandbox.close();
	}
}

run(main);
