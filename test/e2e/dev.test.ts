/**
 * The README's first command, as a user runs it: `npm run dev` brings up the sandbox and a real
 * n8n with the package, a working credential and the example workflows.
 */
import type { N8nApi } from '../../scripts/n8n';
import { Dev, interrupt, killDev, startDev } from './harness/dev';

let dev: Dev;
let output = '';
let api: N8nApi;

beforeAll(async () => {
	dev = await startDev('dev');
	output = dev.output();
	api = dev.api;
});

afterAll(() => killDev(dev));

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

it('prints a command for each webhook example that works as printed: an order confirmation, a login code, a customer sync', async () => {
	const commands = [...output.matchAll(/curl -X POST (\S+\/webhook\/\S+) -H 'content-type: application\/json' -d '([^']+)'/g)];
	expect(commands.map(([, url]) => url.split('/webhook/')[1])).toEqual(['order-paid', 'login-code', 'shop-customers']);
	for (const [, url, body] of commands) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(response.status).toBe(200);
		const answer = await response.json();
		// the customer sync answers with one result per customer
		for (const result of Array.isArray(answer) ? answer : [answer]) expect(result).toMatchObject({ status: 'accepted' });
	}
});

it('runs the imported template example: created, approved after the review, then sent', async () => {
	const execution = await api.run('lynkistTplFlow01');
	expect(execution.items('Create template')[0]).toMatchObject({ status: 'draft' });
	expect(execution.items('Submit and wait for approval')[0]).toMatchObject({ status: 'approved' });
	expect(execution.items('Send it')[0]).toMatchObject({ status: 'accepted', to: '+15550100100' });
});

it('stops everything it started on Ctrl-C', async () => {
	expect(await interrupt(dev)).toBe(true);
});
