'use strict';
/**
 * The whole product on this machine, started one way for `npm run dev` and `npm run screenshots`:
 * builds the package, starts the local Lynkist sandbox and a real n8n with the package installed
 * the way users install it, the "Lynkist sandbox" credential and the example workflows imported,
 * the webhook examples published, and n8n's owner account set up.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, bootstrap } = require('./bootstrap');
const { ensureN8n, ensureNode } = require('./runtime');
const { installPackage } = require('./install-package');
const { N8n } = require('./n8n');
const { startQueue } = require('./queue');
const { exampleCredential, exampleWorkflows, MODEL_CREDENTIAL } = require('./examples');
const { startSandbox } = require('../sandbox');

/** Examples started by a webhook, published on start, with a request that runs each. */
const LIVE_EXAMPLES = [
	{
		id: 'lynkistSendOrd01',
		path: 'order-paid',
		body: { order_id: 'ORD-1042', total: '$24.00', customer: { first_name: 'Ada', phone: '+1 (555) 010-0100' } },
	},
	{ id: 'lynkistLoginCd01', path: 'login-code', body: { phone: '+44 7700 900123', code: '482913', request_id: 'login-1' } },
	{
		id: 'lynkistSyncSale01',
		path: 'shop-customers',
		body: {
			customers: [
				{ id: 'c-1', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '+1 555 010 0101' },
				{ id: 'c-2', first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', phone: '+1 555 010 0102' },
			],
		},
	},
];

/**
 * Waits until n8n serves the examples' production webhooks: its main registers them just after
 * its editor is up, and a POST before that answers 404. Asked with GET, which runs nothing: once
 * n8n answers that the path wants a POST, the registration is in its database for every process.
 */
async function webhooksServed(base, examples, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (const { path: webhookPath } of examples) {
		for (;;) {
			const text = await fetch(`${base}/webhook/${webhookPath}`).then(
				(r) => r.text(),
				() => '',
			);
			if (text.includes('Did you mean to make a POST request')) break;
			if (Date.now() > deadline) throw new Error(`n8n did not serve the webhook ${webhookPath} within ${timeoutMs / 1000} s: ${text}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
}

/**
 * @param {{ dir: string, sandboxPort?: number, n8nPort?: number, workflows?: object[], queue?: boolean }} options
 *   `dir` is emptied and holds the installed package and n8n's user folders; the ports default to
 *   free ones; `workflows` are imported beside the examples; `queue` runs n8n in queue mode (a
 *   main, two workers and a webhook processor, with Postgres and Redis).
 * @returns the running sandbox and n8n (its main, signed in as its owner), the owner's login,
 *   the queue-mode installation when asked for, and `stop()`
 */
async function startLocal({ dir, sandboxPort = 0, n8nPort, workflows = [], queue = false }) {
	bootstrap();
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };

	const sandbox = await startSandbox({ port: sandboxPort });
	let n8n;
	let cluster;
	const stop = async () => {
		await (cluster ? cluster.stop() : n8n?.stop());
		await sandbox.close();
	};
	try {
		fs.rmSync(dir, { recursive: true, force: true });
		const nodesDir = installPackage(ROOT, path.join(dir, 'nodes'));
		const credentials = [exampleCredential(sandbox), MODEL_CREDENTIAL];
		const all = [...exampleWorkflows(), ...workflows];
		// The examples a shop or an app calls are live at once; the alert example waits for a chat URL.
		const publish = LIVE_EXAMPLES.map((e) => e.id);
		if (queue) {
			cluster = await startQueue({
				runtime,
				nodesDir,
				dir: path.join(dir, 'queue'),
				mainPort: n8nPort,
				credentials,
				workflows: all,
				publish,
			});
			n8n = cluster.main;
		} else {
			n8n = N8n.create(runtime, nodesDir, { folder: path.join(dir, 'n8n') });
			await n8n.importCredentials(credentials);
			await n8n.importWorkflows(all);
			await n8n.publish(publish);
			await n8n.start({ port: n8nPort });
		}
		const owner = await n8n.setupOwner();
		await webhooksServed(cluster ? cluster.webhookUrl : n8n.url, LIVE_EXAMPLES);
		return { sandbox, n8n, owner, cluster, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startLocal, LIVE_EXAMPLES };
