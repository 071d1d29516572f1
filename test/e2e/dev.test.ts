/**
 * The README's first command, as a user runs it: `npm run dev` brings up the sandbox and a real
 * n8n with the package, a working credential and the example workflows.
 */
import { spawn, ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { freePort, N8nApi } from '../../scripts/n8n';

const ROOT = resolve(__dirname, '../..');
const runtime = () => JSON.parse(readFileSync(resolve(ROOT, '.e2e/runtime.json'), 'utf8'));

let dev: ChildProcess;
let output = '';
let api: N8nApi;

beforeAll(async () => {
	const { NODE_ENV, JEST_WORKER_ID, ...env } = process.env;
	dev = spawn('npm', ['run', 'dev'], {
		cwd: ROOT,
		env: { ...env, N8N_PORT: String(await freePort()), LYNKIST_SANDBOX_PORT: String(await freePort()) },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	dev.stdout!.on('data', (chunk) => (output += chunk));
	dev.stderr!.on('data', (chunk) => (output += chunk));
	await new Promise<void>((ready, fail) => {
		const timer = setTimeout(() => fail(new Error(`npm run dev did not come up:\n${output}`)), 280_000);
		const check = () => {
			if (output.includes('Press Ctrl-C')) {
				clearTimeout(timer);
				ready();
			}
		};
		dev.stdout!.on('data', check);
		dev.once('exit', (code) => fail(new Error(`npm run dev exited ${code}:\n${output}`)));
	});
	api = new N8nApi(output.match(/Open\s+(http\S+)/)![1], runtime().n8nBin);
	await api.login({ email: output.match(/Log in\s+(\S+) \//)![1], password: output.match(/Log in\s+\S+ \/ (\S+)/)![1] });
});

/** Whether any process of the dev command's process group is still alive. */
function groupAlive(): boolean {
	try {
		process.kill(-dev.pid!, 0);
		return true;
	} catch {
		return false;
	}
}

afterAll(() => {
	if (dev?.pid && groupAlive()) process.kill(-dev.pid, 'SIGKILL');
});

it('prints where to open n8n, how to log in, the sandbox it talks to, and a test-event command that works', async () => {
	expect(output).toMatch(/Open\s+http:\/\/127\.0\.0\.1:\d+/);
	expect(output).toMatch(/Sandbox API key\s+lk_sk_test_[0-9a-f]{40}/);
	// the printed test-event command works as printed
	const [, url, body] = /curl -X POST (\S+\/_sandbox\/\S+) -H 'content-type: application\/json' -d '([^']+)'/.exec(output) ?? [];
	const sent = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
	expect(sent.status).toBe(200);
});

it('has a Lynkist credential whose test succeeds against the sandbox', async () => {
	const { body } = await api.rest('GET', '/credentials/lynkistSandbox01?includeData=true');
	const { id, name, type, data } = body.data;
	expect(await api.testCredential({ id, name, type, data })).toMatchObject({ status: 'OK' });
});

it('runs the imported example, and List Templates returns the seeded templates', async () => {
	const execution = await api.run('lynkistListTpl01');
	const names = execution.items('List templates').map((t) => `${t.template_name}/${t.language}`);
	expect(names).toEqual(expect.arrayContaining(['order_confirmation/en_US', 'order_confirmation/es', 'welcome_message/en']));
});

it('prints a command for each webhook example that works as printed: an order confirmation and a login code', async () => {
	const commands = [...output.matchAll(/curl -X POST (\S+\/webhook\/\S+) -H 'content-type: application\/json' -d '([^']+)'/g)];
	expect(commands.map(([, url]) => url.split('/webhook/')[1])).toEqual(['order-paid', 'login-code']);
	for (const [, url, body] of commands) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ status: 'accepted' });
	}
});

it('runs the imported template example: created, approved after the review, then sent', async () => {
	const execution = await api.run('lynkistTplFlow01');
	expect(execution.items('Create template')[0]).toMatchObject({ status: 'draft' });
	expect(execution.items('Submit and wait for approval')[0]).toMatchObject({ status: 'approved' });
	expect(execution.items('Send it')[0]).toMatchObject({ status: 'accepted', to: '+15550100100' });
});

it('stops everything it started on Ctrl-C', async () => {
	process.kill(-dev.pid!, 'SIGINT');
	const deadline = Date.now() + 30_000;
	while (groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
	expect(groupAlive()).toBe(false);
});
