'use strict';
/** The control surface under /_sandbox: tenants, keys, templates, faults, events and read-backs. */
const { CONTROL_BASE, HEADERS, MESSAGE, TEMPLATE, WEBHOOK, DETAIL } = require('../constants');
const { replyData } = require('../events/envelope');
const ids = require('../lib/ids');
const { createRouter } = require('../lib/router');
const { reply, fail, readBody, parseJson, isObject, write } = require('../lib/http');
const { validateNew } = require('../api/templates');
const { buildFault } = require('../api/faults');
const webhooksApi = require('../api/webhooks');
const templates = require('../state/templates');
const { listSessions } = require('../state/templateMedia');
const { TAMPERS } = require('../events/signing');
const { DEMO_KEY, DEMO_TENANT_ID } = require('../state/seed');

const bad = (detail) => fail(400, detail);

function describeTenant(app, tenant) {
	const keys = app.store.keysOf(tenant).map(({ key, mode, scopes, revoked, created_at }) => ({ key, mode, scopes, revoked, created_at }));
	return { id: tenant.id, ...tenant.settings, keys };
}

function withTenant(handler) {
	return (ctx) => {
		const tenant = ctx.app.store.tenants.get(ctx.params.tenant);
		return tenant ? handler({ ...ctx, tenant }) : fail(404, `Unknown tenant '${ctx.params.tenant}'`);
	};
}

/* ---- sandbox-wide ---- */

const positive = (v) => (typeof v === 'number' && v > 0) || 'must be a number > 0';
const boolean = (v) => typeof v === 'boolean' || 'must be a boolean';
/** field → [startSandbox option, check]. */
const CONFIG_FIELDS = {
	time_scale: ['timeScale', positive],
	delivery_timeout_ms: ['deliveryTimeoutMs', positive],
	idempotency_ttl_ms: ['idempotencyTtlMs', positive],
	docs_only: ['docsOnly', boolean],
};

const describeConfig = (config) => Object.fromEntries(Object.entries(CONFIG_FIELDS).map(([field, [option]]) => [field, config[option]]));

function updateConfig({ app, input }) {
	for (const [field, value] of Object.entries(input)) {
		if (!CONFIG_FIELDS[field]) return bad(`unknown field '${field}'`);
		const verdict = CONFIG_FIELDS[field][1](value);
		if (verdict !== true) return bad(`${field} ${verdict}`);
	}
	for (const [field, value] of Object.entries(input)) app.config[CONFIG_FIELDS[field][0]] = value;
	return reply(200, describeConfig(app.config));
}

function reset({ app }) {
	app.reset();
	return reply(200, { ok: true, demo_tenant_id: DEMO_TENANT_ID, demo_key: app.config.seed ? DEMO_KEY : null });
}

/* ---- tenants and keys ---- */

function createTenant({ app, input }) {
	const created = app.store.addTenant(input);
	if (created.error) return bad(created.error);
	const { record } = app.store.addKey(created.tenant, { mode: 'test' });
	return reply(201, { tenant_id: created.tenant.id, key: record.key, tenant: describeTenant(app, created.tenant) });
}

function updateTenant({ app, tenant, input }) {
	const updated = app.store.updateTenant(tenant, input);
	return updated.error ? bad(updated.error) : reply(200, { tenant: describeTenant(app, tenant) });
}

function createKey({ app, tenant, input }) {
	const added = app.store.addKey(tenant, { scopes: input.scopes, mode: input.mode });
	if (added.error) return bad(added.error);
	const { key, mode, scopes, tenant_id } = added.record;
	return reply(201, { key, mode, scopes, tenant_id });
}

function revokeKey({ app, params }) {
	const record = app.store.revokeKey(params.key);
	return record ? reply(200, { key: record.key, revoked: true }) : fail(404, 'Unknown key');
}

/* ---- templates ---- */

function seedOne(tenant, input) {
	const checked = validateNew(tenant, input, { stored: true });
	if (checked.answer) return checked;
	const { status = 'approved', id, created_at, updated_at } = input;
	if (!TEMPLATE.statuses.includes(status)) return { answer: bad(`status must be one of ${TEMPLATE.statuses.join(', ')}`) };
	if (id !== undefined && (!ids.isUuid(id) || templates.findTemplate(tenant, id))) return { answer: bad('id must be an unused UUID') };
	if (created_at !== undefined && Number.isNaN(Date.parse(created_at))) return { answer: bad('created_at must be an ISO-8601 date') };
	const stamp = created_at ?? new Date().toISOString();
	return {
		template: templates.addTemplate(tenant, {
			...checked.fields,
			status,
			id,
			created_at: stamp,
			updated_at: updated_at ?? (status === 'draft' ? null : stamp),
		}),
	};
}

/** `{ generate: N, name_prefix?, language?, category?, status?, components? }`: N templates a second apart. */
function generate(tenant, input) {
	const { generate: n, name_prefix: prefix = 'generated', language = 'en_US', category = 'UTILITY', status = 'approved' } = input;
	const components = input.components ?? [{ type: 'BODY', text: 'Hello {{1}}, this is generated template.' }];
	if (!Number.isInteger(n) || n < 1 || n > 10000) return { answer: bad('generate must be an integer from 1 to 10000') };
	const start = Date.now() - n * 1000;
	const out = [];
	for (let i = 0; i < n; i++) {
		const created_at = new Date(start + i * 1000).toISOString();
		const template_name = `${prefix}_${String(i + 1).padStart(4, '0')}`;
		const seeded = seedOne(tenant, { template_name, language, category, status, components, created_at });
		if (seeded.answer) return seeded;
		out.push(seeded.template);
	}
	return { templates: out };
}

function seedTemplates({ tenant, input }) {
	if (input.generate !== undefined) {
		const made = generate(tenant, input);
		return made.answer ?? reply(201, { data: made.templates.map(templates.present) });
	}
	const seeded = seedOne(tenant, input);
	return seeded.answer ?? reply(201, { data: [templates.present(seeded.template)] });
}

function setTemplateStatus({ tenant, params, input }) {
	const template = templates.findTemplate(tenant, params.id);
	if (!template) return fail(404, DETAIL.templateNotFound);
	if (!TEMPLATE.statuses.includes(input.status)) return bad(`status must be one of ${TEMPLATE.statuses.join(', ')}`);
	template.status = input.status;
	template.updated_at = new Date().toISOString();
	return reply(200, { data: templates.present(template) });
}

function setReviewOutcome({ app, tenant, params, input }) {
	const updated = app.store.updateTenant(tenant, { review: { outcomes: { [params.name]: input.outcome ?? null } } });
	return updated.error ? bad(updated.error) : reply(200, { outcomes: tenant.settings.review.outcomes });
}

/* ---- faults ---- */

function addFault({ tenant, input }) {
	const built = buildFault(input);
	if (built.error) return bad(built.error);
	tenant.faults.push(built.fault);
	return reply(201, { data: built.fault });
}

function clearFaults({ tenant }) {
	const cleared = tenant.faults.length;
	tenant.faults.length = 0;
	return reply(200, { cleared });
}

/* ---- events ---- */

const EMITTABLE = [...WEBHOOK.events, WEBHOOK.testEvent];

function emitOptions(input) {
	const { repeat = 1, repeat_every_ms: repeatEveryMs = null, tamper = null, webhook_id: webhookId } = input;
	if (!Number.isInteger(repeat) || repeat < 1 || repeat > 100) return { error: 'repeat must be an integer from 1 to 100' };
	if (repeatEveryMs !== null && !(Number.isInteger(repeatEveryMs) && repeatEveryMs >= 0 && repeatEveryMs <= 60_000)) {
		return { error: 'repeat_every_ms must be an integer from 0 to 60000' };
	}
	if (tamper !== null && !TAMPERS.includes(tamper)) return { error: `tamper must be one of ${TAMPERS.join(', ')}` };
	if (webhookId !== undefined && typeof webhookId !== 'string') return { error: 'webhook_id must be a string' };
	const retries = input.retries ?? tamper === null;
	if (typeof retries !== 'boolean') return { error: 'retries must be a boolean' };
	return { options: { repeat, repeatEveryMs, tamper, retries, webhook_id: webhookId } };
}

async function emitEvent(app, tenant, type, data, input) {
	const { error, options } = emitOptions(input);
	if (error) return bad(error);
	const result = await app.events.emit(tenant, type, data, options);
	return reply(200, { data: result });
}

function emit({ app, tenant, input }) {
	if (!EMITTABLE.includes(input.type)) return bad(`type must be one of ${EMITTABLE.join(', ')}`);
	if (input.data !== undefined && !isObject(input.data)) return bad('data must be an object');
	return emitEvent(app, tenant, input.type, input.data ?? {}, input);
}

function inbound({ app, tenant, input }) {
	const { from, text } = input;
	if (from !== undefined && typeof from !== 'string') return bad('from must be a string');
	if (text !== undefined && typeof text !== 'string') return bad('text must be a string');
	const data = Object.fromEntries(Object.entries({ from, text }).filter(([, v]) => v !== undefined));
	return emitEvent(app, tenant, 'message.received', data, input);
}

/** The recipient of a sent message answers it: taps quick-reply button `button`, or types `text`. */
function replyTo({ app, tenant, params, input }) {
	const message = tenant.messages.find((m) => m.message_id === params.message);
	if (!message) return fail(404, `Unknown message '${params.message}'`);
	const { button, text, from, context = true } = input;
	if ((button === undefined) === (text === undefined)) return bad('Give one of button (an index) or text');
	if (button !== undefined && !(Number.isInteger(button) && button >= 0 && button <= 9))
		return bad('button must be an integer from 0 to 9');
	if (text !== undefined && (typeof text !== 'string' || text.length === 0)) return bad('text must be a non-empty string');
	if (from !== undefined && (typeof from !== 'string' || !MESSAGE.e164.test(from))) return bad('from must be an E.164 number');
	if (typeof context !== 'boolean') return bad('context must be a boolean');
	const built = replyData(message, templates.findTemplate(tenant, message.template_id), { button, text, from, context });
	if (built.error) return bad(built.error);
	return emitEvent(app, tenant, 'message.received', built.data, input);
}

/* ---- read-backs ---- */

const readBack = (pick) => withTenant(({ tenant }) => reply(200, { data: pick(tenant) }));

const routes = [
	{ method: 'GET', path: '/health', handle: () => reply(200, { ok: true }) },
	{ method: 'POST', path: '/reset', handle: reset },
	{ method: 'GET', path: '/config', handle: ({ app }) => reply(200, describeConfig(app.config)) },
	{ method: 'PATCH', path: '/config', handle: updateConfig },
	{ method: 'POST', path: '/tenants', handle: createTenant },
	{ method: 'GET', path: '/tenants/:tenant', handle: withTenant(({ app, tenant }) => reply(200, { tenant: describeTenant(app, tenant) })) },
	{ method: 'PATCH', path: '/tenants/:tenant', handle: withTenant(updateTenant) },
	{ method: 'POST', path: '/tenants/:tenant/keys', handle: withTenant(createKey) },
	{ method: 'DELETE', path: '/keys/:key', handle: revokeKey },
	{ method: 'GET', path: '/tenants/:tenant/templates', handle: readBack((t) => t.templates.map(templates.present)) },
	{ method: 'POST', path: '/tenants/:tenant/templates', handle: withTenant(seedTemplates) },
	{ method: 'PATCH', path: '/tenants/:tenant/templates/:id', handle: withTenant(setTemplateStatus) },
	{ method: 'PUT', path: '/tenants/:tenant/review-outcomes/:name', handle: withTenant(setReviewOutcome) },
	{ method: 'GET', path: '/tenants/:tenant/faults', handle: readBack((t) => t.faults) },
	{ method: 'POST', path: '/tenants/:tenant/faults', handle: withTenant(addFault) },
	{ method: 'DELETE', path: '/tenants/:tenant/faults', handle: withTenant(clearFaults) },
	{ method: 'POST', path: '/tenants/:tenant/events', handle: withTenant(emit) },
	{ method: 'POST', path: '/tenants/:tenant/inbound', handle: withTenant(inbound) },
	{ method: 'GET', path: '/tenants/:tenant/messages', handle: readBack((t) => t.messages) },
	{ method: 'POST', path: '/tenants/:tenant/messages/:message/reply', handle: withTenant(replyTo) },
	{ method: 'GET', path: '/tenants/:tenant/replays', handle: readBack((t) => t.replays) },
	{ method: 'GET', path: '/tenants/:tenant/requests', handle: readBack((t) => t.requests) },
	{ method: 'GET', path: '/tenants/:tenant/media', handle: readBack((t) => t.media) },
	{ method: 'GET', path: '/tenants/:tenant/template-sessions', handle: readBack(listSessions) },
	{ method: 'GET', path: '/tenants/:tenant/deliveries', handle: readBack((t) => t.deliveries) },
	{
		method: 'GET',
		path: '/tenants/:tenant/webhooks',
		handle: readBack((t) => [...t.webhooks.values()].map((e) => webhooksApi.present(e, true))),
	},
];

const router = createRouter(routes);

function createControl(app) {
	return async function handleControl(req, res, path, query) {
		const base = { [HEADERS.requestId]: ids.requestId() };
		const found = router.match(req.method, path.slice(CONTROL_BASE.length) || '/');
		if (!found?.route) return write(res, fail(found ? 405 : 404, found ? DETAIL.methodNotAllowed : DETAIL.notFound), base);
		let input = {};
		if (req.method !== 'GET') {
			const body = await readBody(req);
			if (body.length) {
				const parsed = parseJson(body);
				if (!parsed.ok || !isObject(parsed.value)) return write(res, bad('Body must be a JSON object'), base);
				input = parsed.value;
			}
		}
		const answer = await found.route.handle({ app, req, params: found.params, query, input });
		return write(res, answer, base);
	};
}

module.exports = { createControl };
