'use strict';
/**
 * `npm run dev`: the whole product on this machine. Builds the package, starts the local Lynkist
 * sandbox and a real n8n with the package installed the way users install it, a "Lynkist
 * sandbox" credential and the example workflows imported, then prints where to log in.
 * Ctrl-C stops everything. Ports: N8N_PORT (5678) and LYNKIST_SANDBOX_PORT (4010).
 * `npm run dev -- --queue` (or `npm run dev:queue`) runs n8n in queue mode instead: Postgres, Redis,
 * a main, two workers and a webhook processor, each n8n process with the package installed.
 */
const path = require('node:path');
const { ROOT } = require('./bootstrap');
const { freePort } = require('./n8n');
const { exampleWorkflows } = require('./examples');
const { startLocal, LIVE_EXAMPLES } = require('./local');
const { DEMO_TENANT_ID } = require('../sandbox');

/** A question for the AI agent example, once its model credential is set. */
const ORDER_QUESTION = {
	question: 'Where is my order?',
	customer: { first_name: 'Ada', phone: '+1 555 010 0100' },
	order: { id: 'ORD-1042', status: 'shipped', carrier: 'DHL' },
};

async function portOr(preferred) {
	const net = require('node:net');
	const free = await new Promise((resolve) => {
		const probe = net.createServer().once('error', () => resolve(false));
		probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
	});
	return free ? preferred : freePort();
}

async function main() {
	const t0 = Date.now();
	const queue = process.argv.includes('--queue');
	const {
		sandbox,
		n8n,
		owner,
		cluster,
		stop: stopAll,
	} = await startLocal({
		queue,
		dir: path.join(ROOT, '.dev', queue ? 'queue' : 'single'),
		sandboxPort: await portOr(Number(process.env.LYNKIST_SANDBOX_PORT || 4010)),
		n8nPort: await portOr(Number(process.env.N8N_PORT || 5678)),
	});

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await stopAll();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	const webhookBase = cluster ? cluster.webhookUrl : n8n.url;
	const processes = cluster
		? `
  Queue mode main ${n8n.url}, ${cluster.workers.length} workers, ${cluster.webhooks.length} webhook processor at ${cluster.webhookUrl}
             Postgres on 127.0.0.1:${cluster.postgres.port}, Redis on 127.0.0.1:${cluster.redis.port}`
		: '';
	console.log(`
n8n with n8n-nodes-lynkist is running (ready in ${Math.round((Date.now() - t0) / 1000)} s).

  Open       ${n8n.url}${processes}
  Log in     ${owner.email} / ${owner.password}
  Workflows  ${exampleWorkflows()
		.map((w) => w.name)
		.join(', ')}
  Credential "Lynkist sandbox" (n8n tests it when you open and save it)

  Lynkist sandbox API   ${sandbox.apiUrl}
  Sandbox API key       ${sandbox.demoKey}
  Sandbox control       ${sandbox.controlUrl}

  Run the webhook examples as a shop or an app would:
${LIVE_EXAMPLES.map((e) => `    curl -X POST ${webhookBase}/webhook/${e.path} -H 'content-type: application/json' -d '${JSON.stringify(e.body)}'`).join('\n')}

  The AI agent example ("answers an order question") needs a chat model: put your API key in the
  "OpenAI" credential (or any OpenAI-compatible server's Base URL), publish the workflow, then
    curl -X POST ${webhookBase}/webhook/order-question -H 'content-type: application/json' -d '${JSON.stringify(ORDER_QUESTION)}'

  A test event for a Lynkist Trigger: open the trigger, press "Listen for test event", then
    curl -X POST ${sandbox.controlUrl}/tenants/${DEMO_TENANT_ID}/events -H 'content-type: application/json' -d '{"type":"message.delivered"}'
  (or "message.failed", "message.received"; events of a Send Template run arrive by themselves)

Press Ctrl-C to stop.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
