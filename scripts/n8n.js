'use strict';
/**
 * A real n8n with this package installed as users install it: its own user folder, the CLI for
 * imports and one-shot executions, and a running instance for what only a server does (the
 * editor, credential tests over its REST API, webhooks and triggers). Used by the end-to-end
 * tests and by `npm run dev`.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const OWNER = { email: 'owner@example.com', password: 'Lynkist-demo-1', firstName: 'Demo', lastName: 'Owner' };

/** The browser id this client presents; n8n accepts a session only with the id it was created for. */
const BROWSER_ID = 'lynkist';

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 right now */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** What one `n8n execute` produced: each node's items and errors. */
class Execution {
	constructor(raw) {
		this.raw = raw;
	}

	get runData() {
		return this.raw.data?.resultData?.runData ?? {};
	}

	runs(node) {
		const runs = this.runData[node];
		if (!runs) throw new Error(`Node "${node}" did not run. Ran: ${Object.keys(this.runData).join(', ')}`);
		return runs;
	}

	/**
	 * The JSON of every item on one output of the node's first run.
	 * @returns {Record<string, any>[]}
	 */
	items(node, output = 0) {
		return this.outputItems(node, output).map((item) => item.json);
	}

	/**
	 * The node's output items with their pairedItem.
	 * @returns {Array<{ json: Record<string, any>, pairedItem?: any }>}
	 */
	outputItems(node, output = 0) {
		return this.runs(node)[0].data?.main?.[output] ?? [];
	}

	/**
	 * The error a node stopped with, or the workflow's when no node is named.
	 * @returns {{ message?: string, description?: string, httpCode?: string } | undefined}
	 */
	error(node) {
		return node ? this.runs(node)[0].error : this.raw.data?.resultData?.error;
	}
}

/** A running n8n's REST API (the one its editor uses), signed in as the owner. */
class N8nApi {
	/**
	 * @param {string} url where the instance listens
	 * @param {string} n8nBin the n8n it runs (its `flatted` reads execution data)
	 */
	constructor(url, n8nBin) {
		this.baseUrl = url;
		this.n8nBin = n8nBin;
		this.cookie = '';
	}

	get url() {
		return this.baseUrl;
	}

	/** The n8n line (major version) this runs: 1 or 2, from its install folder's name. */
	get line() {
		return Number(/n8n-(\d+)\.\d+\.\d+/.exec(this.n8nBin)?.[1] ?? 2);
	}

	/**
	 * Starts a run as the editor's "Execute workflow" does (n8n 1.x wants the saved workflow in the
	 * request); → the REST answer, `data.executionId` once it started.
	 */
	async startRun(workflowId, body) {
		const workflowData = this.line === 1 ? (await this.rest('GET', `/workflows/${workflowId}`)).body?.data : undefined;
		return await this.rest('POST', `/workflows/${workflowId}/run`, { ...(workflowData ? { workflowData } : {}), ...body });
	}

	/** Calls the running instance's REST API (the editor's) with the owner's session. */
	async rest(method, urlPath, body) {
		const response = await fetch(`${this.url}/rest${urlPath}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': BROWSER_ID },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined };
	}

	/**
	 * Runs a workflow in the running instance the way the editor's "Execute workflow" button does,
	 * waits for it to finish and returns what every node produced.
	 */
	async run(workflowId, { trigger = 'Start', timeoutMs = 120_000 } = {}) {
		const started = await this.startRun(workflowId, { triggerToStartFrom: { name: trigger } });
		const executionId = started.body?.data?.executionId;
		if (!executionId) throw new Error(`could not start workflow ${workflowId}: ${started.status} ${JSON.stringify(started.body)}`);
		return this.waitForExecution(executionId, timeoutMs);
	}

	/** An execution as it is now, its (flatted) data parsed: one still waiting too. */
	async execution(executionId) {
		const { status, body } = await this.rest('GET', `/executions/${executionId}`);
		if (status !== 200) throw new Error(`no execution ${executionId}: ${status}`);
		return new Execution({ ...body.data, data: this.flatted().parse(body.data.data) });
	}

	/** Polls an execution until it has finished, then parses its (flatted) data. */
	async waitForExecution(executionId, timeoutMs = 120_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const { status, body } = await this.rest('GET', `/executions/${executionId}`);
			const execution = body?.data;
			if (status === 200 && execution?.finished !== undefined && !['new', 'running', 'waiting'].includes(execution.status)) {
				const done = new Execution({ ...execution, data: this.flatted().parse(execution.data) });
				// n8n 1.x (SQLite) saves an execution's status, then its data: for a moment an ended
				// execution shows no node data, or, resumed from a wait, the data it had while waiting
				const data = done.raw.data;
				const stillWaiting = data?.waitTill !== undefined && data?.waitTill !== null && execution.status !== 'canceled';
				const saved = (Object.keys(done.runData).length > 0 || data?.resultData?.error !== undefined) && !stillWaiting;
				if (saved || Date.now() > deadline) return done;
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish in ${timeoutMs} ms`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	/** n8n stores execution data in the `flatted` format; read it with n8n's own copy. */
	flatted() {
		return require(require.resolve('flatted', { paths: [path.dirname(this.n8nBin)] }));
	}

	/**
	 * Executions of one workflow, newest first: `[{ id, status, mode }]` (at most `limit`, which n8n caps at 100).
	 * @returns {Promise<Array<{ id: string, status: string, mode: string }>>}
	 */
	async executions(workflowId, limit = 100) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const { status, body } = await this.rest('GET', `/executions?filter=${filter}&limit=${limit}`);
		if (status !== 200) throw new Error(`listing executions failed: ${status} ${JSON.stringify(body)}`);
		return body.data.results;
	}

	/** Activates (publishes) a saved workflow, as the editor's switch does: n8n registers its triggers' webhooks. */
	async activate(workflowId) {
		const saved = await this.rest('GET', `/workflows/${workflowId}`);
		const { status, body } = await this.rest('POST', `/workflows/${workflowId}/activate`, { versionId: saved.body?.data?.versionId });
		if (status !== 200) throw new Error(`activating ${workflowId} failed: ${status} ${JSON.stringify(body)}`);
	}

	/**
	 * The Executions list's Retry: "with original workflow" (`loadWorkflow` false) or "with
	 * currently saved workflow" (true). n8n runs the retry as a new execution; its id is returned
	 * once it has finished.
	 */
	async retry(executionId, { loadWorkflow = false } = {}) {
		const { status, body } = await this.rest('POST', `/executions/${executionId}/retry`, { loadWorkflow });
		if (status !== 200) throw new Error(`retrying execution ${executionId} failed: ${status} ${JSON.stringify(body)}`);
		return body?.data;
	}

	/** Deactivates a published workflow, as the editor's switch does (its triggers' webhooks are removed). */
	async deactivate(workflowId) {
		const { status, body } = await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
		if (status !== 200) throw new Error(`deactivating ${workflowId} failed: ${status} ${JSON.stringify(body)}`);
	}

	/**
	 * Signs in (to an instance that already has its owner) and keeps the session.
	 * @param {{ email: string, password: string }} [owner]
	 */
	async login(owner = OWNER) {
		const { status, body } = await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		if (status !== 200) throw new Error(`login failed: ${status} ${JSON.stringify(body)}`);
	}

	/** Creates the owner account of a fresh instance and keeps its session. */
	async setupOwner(owner = OWNER) {
		const { status, body } = await this.rest('POST', '/owner/setup', owner);
		if (status !== 200) throw new Error(`owner setup failed: ${status} ${JSON.stringify(body)}`);
		return owner;
	}

	/**
	 * The editor's credential "Test" button, for a credential not saved yet (id ''), or a saved one
	 * by its id: `{ status: 'OK' | 'Error', message }`.
	 */
	async testCredential(credential) {
		const { status, body } = await this.rest('POST', '/credentials/test', { credentials: { id: '', ...credential } });
		if (status !== 200) throw new Error(`credential test request failed: ${status} ${JSON.stringify(body)}`);
		return body.data;
	}
}

/** How each kind of n8n process is started, and the line it prints once it is ready. */
const ROLES = {
	main: { args: ['start'], ready: 'Editor is now accessible via' },
	worker: { args: ['worker', '--concurrency=5'], ready: 'n8n worker is now ready' },
	webhook: { args: ['webhook'], ready: 'Webhook listener waiting for requests' },
};

class N8n extends N8nApi {
	/**
	 * @param {{ nodeBin: string, n8nBin: string }} runtime where Node >= 24 and n8n are
	 * @param {string} folder the N8N_USER_FOLDER
	 * @param {Record<string,string>} [extraEnv]
	 */
	constructor(runtime, folder, extraEnv = {}) {
		super('', runtime.n8nBin);
		this.runtime = runtime;
		this.folder = folder;
		this.extraEnv = extraEnv;
		this.server = undefined;
	}

	/** A new user folder (a fresh temporary one unless given) with `nodesDir` as its `.n8n/nodes`. */
	static create(runtime, nodesDir, { folder, env } = {}) {
		const userFolder = folder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-n8n-'));
		fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
		fs.cpSync(nodesDir, path.join(userFolder, '.n8n', 'nodes'), { recursive: true });
		return new N8n(runtime, userFolder, env);
	}

	get url() {
		if (!this.server) throw new Error('n8n is not running');
		return `http://127.0.0.1:${this.server.port}`;
	}

	async env(extra = {}) {
		// A test runner's NODE_ENV=test silences n8n's logger (and its --rawOutput with it).
		const { NODE_ENV, JEST_WORKER_ID, ...inherited } = process.env;
		return {
			...inherited,
			PATH: `${this.runtime.nodeBin}${path.delimiter}${process.env.PATH}`,
			N8N_USER_FOLDER: this.folder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			N8N_LOG_LEVEL: 'info',
			N8N_ENCRYPTION_KEY: 'lynkist-local-encryption-key',
			...this.extraEnv,
			...extra,
		};
	}

	/** Runs one n8n CLI command to completion: `{ code, stdout, stderr }`. */
	async cli(args, timeoutMs = 120_000) {
		const env = await this.env();
		return new Promise((resolve, reject) => {
			const child = spawn(this.runtime.n8nBin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (chunk) => (stdout += chunk));
			child.stderr.on('data', (chunk) => (stderr += chunk));
			const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
			child.on('error', reject);
			child.on('close', (code) => {
				clearTimeout(timer);
				resolve({ code, stdout, stderr });
			});
		});
	}

	async cliOk(args) {
		const result = await this.cli(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
		return result;
	}

	/** Imports credentials: `[{ id, name, type, data }]`, data in plain text (n8n encrypts it). */
	async importCredentials(credentials) {
		const file = path.join(this.folder, `credentials-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials));
		await this.cliOk(['import:credentials', `--input=${file}`]);
		fs.rmSync(file);
	}

	/** Imports workflows in one CLI call (each start of the CLI costs seconds). */
	async importWorkflows(workflows) {
		const file = path.join(this.folder, `workflows-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(workflows));
		await this.cliOk(['import:workflow', `--input=${file}`]);
		fs.rmSync(file);
	}

	/** Marks imported workflows active (published); `start()` then registers their triggers. */
	async publish(workflowIds) {
		// n8n 1.x has no publish command: its workflows are made active
		const args = (id) => (this.line === 1 ? ['update:workflow', `--id=${id}`, '--active=true'] : ['publish:workflow', `--id=${id}`]);
		for (const id of workflowIds) await this.cliOk(args(id));
	}

	/** Runs an imported workflow once with `n8n execute`. */
	async execute(workflowId) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		const start = result.stdout.search(/^\{/m);
		if (start < 0) throw new Error(`n8n execute printed no execution (exit ${result.code})\n${result.stdout}\n${result.stderr}`);
		// a failed execution's JSON is followed by n8n's own lines about the failure
		const text = result.stdout.slice(start);
		for (let end = text.indexOf('\n}'); end >= 0; end = text.indexOf('\n}', end + 1)) {
			try {
				return new Execution(JSON.parse(text.slice(0, end + 2)));
			} catch {
				// not the end of the execution yet
			}
		}
		return new Execution(JSON.parse(text));
	}

	/**
	 * `n8n start` (or, in queue mode, `n8n worker` / `n8n webhook`); resolves once the process says
	 * it is ready: the editor and the active workflows up, a worker taking jobs, a webhook
	 * processor listening.
	 * @param {{ port?: number, env?: Record<string, string>, timeoutMs?: number, role?: 'main' | 'worker' | 'webhook' }} [options]
	 */
	async start({ port, env = {}, timeoutMs = 180_000, role = 'main' } = {}) {
		const { args, ready } = ROLES[role];
		const listenPort = port ?? (await freePort());
		const childEnv = await this.env({
			N8N_PORT: String(listenPort),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			WEBHOOK_URL: `http://127.0.0.1:${listenPort}/`,
			N8N_LOG_LEVEL: 'info',
			...env,
		});
		const child = spawn(this.runtime.n8nBin, args, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		const log = [];
		this.server = { child, log, port: listenPort };
		await new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`n8n did not start in ${timeoutMs} ms\n${log.join('')}`)), timeoutMs);
			const onData = (chunk) => {
				log.push(chunk.toString());
				if (chunk.toString().includes(ready)) {
					clearTimeout(timer);
					resolve();
				}
			};
			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`n8n exited (${code}) while starting\n${log.join('')}`));
			});
		});
	}

	/** What the running instance has printed so far. */
	get log() {
		return this.server ? this.server.log.join('') : '';
	}

	async stop() {
		const server = this.server;
		this.server = undefined;
		if (!server || server.child.exitCode !== null) return;
		await new Promise((resolve) => {
			const timer = setTimeout(() => server.child.kill('SIGKILL'), 20_000);
			server.child.once('exit', () => {
				clearTimeout(timer);
				resolve();
			});
			server.child.kill('SIGTERM');
		});
	}

	/** Kills the running instance at once (SIGKILL), as a crash or an OOM kill would. */
	async kill() {
		const server = this.server;
		this.server = undefined;
		if (!server || server.child.exitCode !== null) return;
		await new Promise((resolve) => {
			server.child.once('exit', resolve);
			server.child.kill('SIGKILL');
		});
	}

	async dispose() {
		await this.stop();
		fs.rmSync(this.folder, { recursive: true, force: true });
	}
}

module.exports = { N8n, N8nApi, Execution, OWNER, BROWSER_ID, freePort };
