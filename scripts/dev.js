'use strict';
/**
 * `npm run dev`: the whole product on this machine. Builds the package, starts the local Lynkist
 * sandbox and a real n8n with the package installed the way users install it, a "Lynkist
 * sandbox" credential and the example workflows imported, then prints where to log in.
 * Ctrl-C stops everything. Ports: N8N_PORT (5678) and LYNKIST_SANDBOX_PORT (4010).
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, bootstrap } = require('./bootstrap');
const { ensureN8n, ensureNode } = require('./runtime');
const { installPackage } = require('./install-package');
const { N8n, freePort } = require('./n8n');
const { exampleCredential, exampleWorkflows } = require('./examples');

const DEV_DIR = path.join(ROOT, '.dev');

/** Examples started by a webhook, published on start, with a request that runs each. */
const LIVE_EXAMPLES = [
	{
		id: 'lynkistSendOrd01',
		path: 'order-paid',
		body: { order_id: 'ORD-1042', total: '$24.00', customer: { first_name: 'Ada', phone: '+1 (555) 010-0100' } },
	},
	{ id: 'lynkistLoginCd01', path: 'login-code', body: { phone: '+44 7700 900123', code: '482913', request_id: 'login-1' } },
];

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
	bootstrap();
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };

	const { startSandbox, DEMO_TENANT_ID } = require('../sandbox');
	const sandbox = await startSandbox({ port: await portOr(Number(process.env.LYNKIST_SANDBOX_PORT || 4010)) });

	fs.rmSync(DEV_DIR, { recursive: true, force: true });
	const nodesDir = installPackage(ROOT, path.join(DEV_DIR, 'nodes'));
	const n8n = N8n.create(runtime, nodesDir, { folder: path.join(DEV_DIR, 'n8n') });
	await n8n.importCredentials([exampleCredential(sandbox)]);
	await n8n.importWorkflows(exampleWorkflows());
	// The examples a shop or an app calls are live at once; the alert example waits for a chat URL.
	await n8n.publish(LIVE_EXAMPLES.map((e) => e.id));
	await n8n.start({ port: await portOr(Number(process.env.N8N_PORT || 5678)) });
	const owner = await n8n.setupOwner();

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await n8n.stop();
		await sandbox.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	console.log(`
n8n with n8n-nodes-lynkist is running (ready in ${Math.round((Date.now() - t0) / 1000)} s).

  Open       ${n8n.url}
  Log in     ${owner.email} / ${owner.password}
  Workflows  ${exampleWorkflows().map((w) => w.name).join(', ')}
  Credential "Lynkist sandbox" (n8n tests it when you open and save it)

  Lynkist sandbox API   ${sandbox.apiUrl}
  Sandbox API key       ${sandbox.demoKey}
  Sandbox control       ${sandbox.controlUrl}

  Run the webhook examples as a shop or an app would:
${LIVE_EXAMPLES.map((e) => `    curl -X POST ${n8n.url}/webhook/${e.path} -H 'content-type: application/json' -d '${JSON.stringify(e.body)}'`).join('\n')}

  A test event for a Lynkist Trigger: open the trigger, press "Listen for test event", then
    curl -X POST ${sandbox.controlUrl}/tenants/${DEMO_TENANT_ID}/events -H 'content-type: application/json' -d '{"type":"message.delivered"}'
  (or "message.failed", "message.received"; events of a Send Template run arrive by themselves)

Press Ctrl-C to stop.`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
