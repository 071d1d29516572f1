/**
 * Lynkist's daily budget in real n8n against the sandbox: where Lynkist refuses the bulk body,
 * Contact → Create or Update (and Send Template's Create or Update Contact) checks that today's
 * budget can hold one request per contact before it saves any; a run that cannot is stopped
 * before it spends the day, naming the requests needed, those left and the reset. A run that fits,
 * and the bulk path under the same limit, go ahead.
 */
import { codeNode, lynkistCredential, lynkistNode, manualWorkflow, N8n, sendTemplateNode, WorkflowJson, startN8n } from './harness';
import { control, createTenant, readBack, Sandbox, seedTemplate, startSandbox } from './harness/sandbox';

const DAY = 86_400_000;
const SMALL_DAY = { per_minute: 100_000, per_day: 60 };
const HOW_TO =
	'Nothing was sent for these items: Lynkist refuses the bulk body, so each contact takes a request of its own, and the run would have stopped half-way when the budget ran out. Split the input into smaller runs, run it again after the reset, or use a Lynkist plan with a higher daily limit.';

let sandbox: Sandbox;
let n8n: N8n;
type Tenant = { id: string; key: string; credential: ReturnType<typeof lynkistCredential> };
const tenants: Record<string, Tenant> = {};
const flows: Record<string, WorkflowJson> = {};

/** The end of today (UTC): when the sandbox's day window, aligned to whole days, resets. */
const dayEnd = () => new Date((Math.floor(Date.now() / DAY) + 1) * DAY).toISOString();

/** A Code node making `count` customers with numbers from `first` on. */
const customers = (count: number, first: number) =>
	codeNode(
		'People',
		`return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: '+1555080' + String(${first} + i), name: 'Customer ' + (i + 1) } }));`,
	);
const withTags = {
	operation: 'upsert',
	phone: '={{ $json.phone }}',
	first_name: '={{ $json.name }}',
	additionalFields: { tags: 'budget' },
};
const nameOnly = { operation: 'upsert', phone: '={{ $json.phone }}', first_name: '={{ $json.name }}' };
const sync = (tenant: Tenant, parameters: Record<string, unknown>, extra = {}) =>
	lynkistNode('Sync', { resource: 'contact', ...parameters }, tenant.credential, extra);

/** The tenant's requests as `METHOD /path status`, ids and queries left out. */
const calls = async (tenant: Tenant) =>
	(await readBack(sandbox, tenant.id, 'requests')).map(
		(r) =>
			`${r.method} ${r.path
				.split('/public')[1]
				.replace(/[0-9a-f-]{36}/, '{id}')
				.replace(/\?.*/, '')} ${r.status}`,
	);
const saves = (seen: string[]) => seen.filter((c) => /^(POST \/contacts|PATCH \/contacts\/\{id\}) /.test(c));
/** What the sandbox counted against the day: every answer but an unknown route's 404/405 and a 429. */
const counted = (seen: string[]) => seen.filter((c) => !/ (404|405|429)$/.test(c)).length;

beforeAll(async () => {
	sandbox = await startSandbox({ port: 0 });
	const tenant = async (name: string, settings: Record<string, unknown>) => {
		const { id, key } = await createTenant(sandbox, settings);
		tenants[name] = { id, key, credential: lynkistCredential(key, sandbox.apiUrl, `Lynkist ${name}`) };
	};
	await tenant('stop', { docs_only: true, limits: SMALL_DAY });
	await tenant('continue', { docs_only: true, limits: SMALL_DAY });
	await tenant('fits', { docs_only: true, limits: SMALL_DAY });
	await tenant('send', { docs_only: true, limits: SMALL_DAY });
	await tenant('bulk', { limits: SMALL_DAY });
	await tenant('partly', { limits: SMALL_DAY });
	const { stop, send, bulk, partly } = tenants;
	flows.stop = manualWorkflow('80 customers, 60 a day', [customers(80, 1000), sync(stop, withTags)]);
	flows.continue = manualWorkflow('80 customers, 60 a day, continue', [
		customers(80, 2000),
		sync(tenants.continue, nameOnly, { onError: 'continueRegularOutput' }),
	]);
	flows.fits = manualWorkflow('20 customers, 60 a day', [customers(20, 3000), sync(tenants.fits, withTags)]);
	flows.bulk = manualWorkflow('80 customers in bulk, 60 a day', [customers(80, 4000), sync(bulk, withTags)]);
	flows.partly = manualWorkflow('600 customers, the second bulk request refused', [
		customers(600, 5000),
		sync(partly, withTags, { onError: 'continueRegularOutput' }),
	]);
	const templateId = (await seedTemplate(sandbox, send.id)).id;
	flows.send = manualWorkflow('80 sends saving their contacts, 60 a day', [
		codeNode(
			'People',
			"return Array.from({ length: 80 }, (_, i) => ({ json: { phone: '+1555080' + String(6000 + i), name: 'Customer ' + (i + 1), order: 'C-' + i, total: '1.00' } }));",
		),
		sendTemplateNode(send.credential, templateId, { saveContact: true, contactFields: { first_name: '={{ $json.name }}' } }),
	]);
	n8n = await startN8n({ credentials: Object.values(tenants).map((t) => t.credential), workflows: Object.values(flows) });
}, 240_000);

afterAll(async () => {
	await n8n?.dispose();
	await sandbox?.close();
}, 60_000);

it('80 contacts one by one with 59 requests left today: the run stops before any contact is saved, naming the numbers, the reset and what to do', async () => {
	const { stop } = tenants;
	const run = await n8n.run(flows.stop.id);
	const seen = await calls(stop);
	// the whole list read (1 request counted), the bulk body refused: 60 - 1 = 59 left, 80 needed
	expect(seen).toEqual(['POST /contacts/search 404', 'GET /contacts 200', 'POST /contacts/bulk 404']);
	expect(saves(seen)).toEqual([]);
	expect(run.error('Sync')).toMatchObject({
		message: `Lynkist's daily limit cannot hold this run: saving the contacts of items 1–80 one by one needs 80 requests, and 59 of 60 remain today; the day's budget resets at ${dayEnd()}`,
		description: `${HOW_TO} No contact was saved.`,
	});
});

it('On Error → Continue: every item carries the error, with the lookup it would take counted; nothing is saved', async () => {
	const target = tenants.continue;
	const out = (await n8n.run(flows.continue.id)).items('Sync');
	const seen = await calls(target);
	// nothing looked up before the bulk body was refused: 60 left; 80 saves and 1 search needed
	expect(seen).toEqual(['POST /contacts/bulk 404']);
	expect(out).toHaveLength(80);
	const message = `Lynkist's daily limit cannot hold this run: saving the contacts of items 1–80 one by one needs 81 requests (80 saves and 1 lookup), and 60 of 60 remain today; the day's budget resets at ${dayEnd()}`;
	expect(out.every((item) => item.error === message && item.description === HOW_TO && item.action === undefined)).toBe(true);
});

it('20 contacts with 59 requests left: all saved, one request each', async () => {
	const { fits } = tenants;
	const out = (await n8n.run(flows.fits.id)).items('Sync');
	expect(out.map((c) => c.action)).toEqual(Array(20).fill('created'));
	const seen = await calls(fits);
	expect(seen.slice(0, 3)).toEqual(['POST /contacts/search 404', 'GET /contacts 200', 'POST /contacts/bulk 404']);
	expect(saves(seen)).toEqual(Array(20).fill('POST /contacts 201'));
	expect(counted(seen)).toBe(21);
});

it('the bulk path under the same limit is unaffected: 80 contacts in one search and one bulk request', async () => {
	const { bulk } = tenants;
	const out = (await n8n.run(flows.bulk.id)).items('Sync');
	expect(out.map((c) => c.action)).toEqual(Array(80).fill('created'));
	expect(await calls(bulk)).toEqual(['POST /contacts/search 200', 'POST /contacts/bulk 200']);
});

it('600 contacts, the first 500 saved in bulk, then the bulk body refused with 53 left: items 1–500 keep their output, items 501–600 fail unsent', async () => {
	const { partly } = tenants;
	await control(sandbox, 'POST', `/tenants/${partly.id}/faults`, {
		kind: 'status',
		method: 'POST',
		path: '/contacts/bulk',
		status: 404,
		detail: 'Not Found',
		every: 2,
	});
	const out = (await n8n.run(flows.partly.id)).items('Sync');
	const seen = await calls(partly);
	// six searches of 100 phones and one bulk request counted: 60 - 7 = 53 left, 100 needed
	expect(seen).toEqual([...Array(6).fill('POST /contacts/search 200'), 'POST /contacts/bulk 200', 'POST /contacts/bulk 404']);
	expect(out).toHaveLength(600);
	expect(out.slice(0, 500).every((c) => c.action === 'created')).toBe(true);
	const message = `Lynkist's daily limit cannot hold this run: saving the contacts of items 501–600 one by one needs 100 requests, and 53 of 60 remain today; the day's budget resets at ${dayEnd()}`;
	expect(out.slice(500).every((item) => item.error === message)).toBe(true);
});

it("Send Template's Create or Update Contact: 80 recipients that cannot be saved today fail with the numbers; no contact saved, no one messaged", async () => {
	const { send } = tenants;
	const run = await n8n.run(flows.send.id);
	const seen = await calls(send);
	expect(saves(seen)).toEqual([]);
	expect(seen.filter((c) => c.startsWith('POST /messages'))).toEqual([]);
	expect(await readBack(sandbox, send.id, 'messages')).toEqual([]);
	expect(run.error('Send')?.message).toBe(
		`Lynkist's daily limit cannot hold this run: saving the contacts of items 1–80 one by one needs 80 requests, and ${60 - counted(seen)} of 60 remain today; the day's budget resets at ${dayEnd()}`,
	);
});
