/**
 * The README's first command, as a user runs it: `npm run dev` brings up the sandbox and a real
 * n8n with the package, a working credential and the example workflows.
 */
import type { N8nApi } from '../../scripts/n8n';
import { Dev, interrupt, killDev, startDev } from './harness/dev';
import { startModel } from './harness/model';

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
	expect(commands.map(([, url]) => url.split('/webhook/')[1])).toEqual(['order-paid', 'login-code', 'shop-customers', 'order-question']);
	for (const [, url, body] of commands.slice(0, 3)) {
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(response.status).toBe(200);
		const answer = await response.json();
		// the customer sync answers with one result per customer
		for (const result of Array.isArray(answer) ? answer : [answer]) expect(result).toMatchObject({ status: 'accepted' });
	}
});

it('the AI agent example works as printed once its OpenAI credential has a key and it is published', async () => {
	const model = await startModel();
	try {
		const saved = (await api.rest('GET', '/credentials/openAiExample01?includeData=true')).body.data;
		const edited = await api.rest('PATCH', '/credentials/openAiExample01', {
			...saved,
			data: { ...saved.data, apiKey: 'sk-user', url: model.url },
		});
		expect(edited.status).toBe(200);
		await api.activate('lynkistOrderAi01');
		const [, url, body] =
			/curl -X POST (\S+\/webhook\/order-question) -H 'content-type: application\/json' -d '([^']+)'/.exec(output) ?? [];
		const { customer, order } = JSON.parse(body);
		// n8n serves a published workflow's webhook a moment after the editor's switch answers
		for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
			if ((await fetch(url).then((r) => r.text())).includes('Did you mean to make a POST request')) break;
		}
		model.script([
			{ toolCalls: [{ name: 'Send_order_status', args: { phone: customer.phone, first_name: customer.first_name, order_id: order.id } }] },
			{ answer: 'It has shipped; I sent you its status.' },
		]);
		const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(await response.json()).toEqual({ output: 'It has shipped; I sent you its status.' });
		const sent = model.toolResults()[0];
		expect(sent).toContain('"status":"accepted"');
	} finally {
		model.close();
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
