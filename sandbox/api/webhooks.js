'use strict';
/** Webhook endpoint management: /webhooks CRUD, rotate-secret and test. */
const { TEMPLATE, WEBHOOK, DETAIL } = require('../constants');
const ids = require('../lib/ids');
const { reply, fail, issue, invalid, intParam, pageAnswer, parseJson, isObject } = require('../lib/http');

const PUBLIC_FIELDS = [
	'id',
	'url',
	'events',
	'description',
	'is_active',
	'last_success_at',
	'last_failure_at',
	'consecutive_failures',
	'created_at',
	'updated_at',
];

function present(endpoint, withSecret = false) {
	const out = {};
	for (const field of PUBLIC_FIELDS) out[field] = endpoint[field];
	if (withSecret) out.secret = endpoint.secret;
	return out;
}

const isLoopback = (host) => host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

function checkUrl(url, allowHttpLoopback) {
	const loc = ['body', 'url'];
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		return [issue(loc, 'Input should be a valid URL', 'url_parsing')];
	}
	if (parsed.protocol === 'https:') return [];
	if (parsed.protocol === 'http:' && allowHttpLoopback && isLoopback(parsed.hostname)) return [];
	const note = allowHttpLoopback ? ' (plain http:// is accepted only for loopback addresses)' : '';
	return [issue(loc, `HTTPS is required: the webhook URL must start with https://${note}`, 'url_scheme')];
}

function checkEvents(events) {
	const loc = ['body', 'events'];
	if (!Array.isArray(events) || events.length === 0) return [issue(loc, 'Events must be a non-empty list of event names', 'too_short')];
	return events.flatMap((event, i) =>
		WEBHOOK.events.includes(event)
			? []
			: [issue([...loc, i], `Unknown event '${event}'. Known events: ${WEBHOOK.events.join(', ')}`, 'enum')],
	);
}

/** FastAPI-style problems of a create (all fields) or an update (only the fields present). */
function checkInput(input, partial, allowHttpLoopback) {
	const problems = [];
	const has = (field) => input[field] !== undefined;
	if (has('url') || !partial) {
		problems.push(
			...(typeof input.url === 'string' ? checkUrl(input.url, allowHttpLoopback) : [issue(['body', 'url'], 'Field required', 'missing')]),
		);
	}
	if (has('events') || !partial) problems.push(...checkEvents(input.events));
	if (has('description') && input.description !== null) {
		if (typeof input.description !== 'string')
			problems.push(issue(['body', 'description'], 'Input should be a valid string', 'string_type'));
		else if (input.description.length > WEBHOOK.descriptionMax) {
			problems.push(issue(['body', 'description'], `String should have at most ${WEBHOOK.descriptionMax} characters`, 'string_too_long'));
		}
	}
	if (has('active') && typeof input.active !== 'boolean')
		problems.push(issue(['body', 'active'], 'Input should be a valid boolean', 'bool_type'));
	return problems;
}

function parseInput(ctx, partial) {
	const parsed = parseJson(ctx.body);
	if (!parsed.ok || !isObject(parsed.value)) return { answer: fail(400, 'Request body must be a JSON object') };
	const problems = checkInput(parsed.value, partial, ctx.tenant.settings.allow_http_loopback);
	return problems.length ? { answer: invalid(problems) } : { input: parsed.value };
}

const endpointOf = (ctx) => ctx.tenant.webhooks.get(ctx.params.id);
const notFound = () => fail(404, DETAIL.webhookNotFound);

function create(ctx) {
	const { answer, input } = parseInput(ctx, false);
	if (answer) return answer;
	const endpoint = {
		id: ids.uuid(),
		url: input.url,
		events: [...new Set(input.events)],
		description: input.description ?? null,
		is_active: input.active ?? true,
		last_success_at: null,
		last_failure_at: null,
		consecutive_failures: 0,
		created_at: new Date().toISOString(),
		updated_at: null,
		secret: ids.webhookSecret(),
	};
	ctx.tenant.webhooks.set(endpoint.id, endpoint);
	return reply(201, { data: present(endpoint, true) });
}

/** [assumed] GET /webhooks?page=&limit=: oldest first, paged like the template list. */
function list({ tenant, query }) {
	const page = intParam(query, 'page', TEMPLATE.pageDefault, 1, Number.MAX_SAFE_INTEGER);
	const limit = intParam(query, 'limit', TEMPLATE.limitDefault, 1, TEMPLATE.limitMax);
	const problems = [page.problem, limit.problem].filter(Boolean);
	if (problems.length) return invalid(problems);
	return pageAnswer([...tenant.webhooks.values()], page.value, limit.value, (e) => present(e));
}

function get(ctx) {
	const endpoint = endpointOf(ctx);
	return endpoint ? reply(200, { data: present(endpoint) }) : notFound();
}

function update(ctx) {
	const endpoint = endpointOf(ctx);
	if (!endpoint) return notFound();
	const { answer, input } = parseInput(ctx, true);
	if (answer) return answer;
	if (input.url !== undefined) endpoint.url = input.url;
	if (input.events !== undefined) endpoint.events = [...new Set(input.events)];
	if (input.description !== undefined) endpoint.description = input.description;
	if (input.active !== undefined) {
		if (input.active && !endpoint.is_active) endpoint.consecutive_failures = 0;
		endpoint.is_active = input.active;
	}
	endpoint.updated_at = new Date().toISOString();
	return reply(200, { data: present(endpoint) });
}

function remove(ctx) {
	if (!ctx.tenant.webhooks.delete(ctx.params.id)) return notFound();
	return reply(204);
}

function rotate(ctx) {
	const endpoint = endpointOf(ctx);
	if (!endpoint) return notFound();
	endpoint.secret = ids.webhookSecret();
	endpoint.updated_at = new Date().toISOString();
	return reply(200, { data: present(endpoint, true) });
}

/**
 * One signed test delivery, no retries. [assumed] a `webhook.test` envelope, answered with its
 * outcome; docs-only, Lynkist's `ping` and `{"data":{"id","message":"Test event sent"}}` [doc].
 */
async function test(ctx) {
	const endpoint = endpointOf(ctx);
	if (!endpoint) return notFound();
	const result = await ctx.app.events.testDelivery(ctx.tenant, endpoint, { ping: ctx.docsOnly });
	if (ctx.docsOnly) return reply(200, { data: { id: endpoint.id, message: WEBHOOK.testSentMessage } });
	return reply(200, { data: { delivered: result.ok, status_code: result.status_code, delivery_id: result.delivery_id } });
}

const DELIVERY_FIELDS = [
	'id',
	'webhook_id',
	'event_id',
	'event',
	'status',
	'attempts',
	'last_status_code',
	'created_at',
	'last_attempt_at',
];
const presentDelivery = (entry) => Object.fromEntries(DELIVERY_FIELDS.map((f) => [f, entry[f]]));

/** [assumed] GET /webhooks/{id}/deliveries?status=&page=&limit=: oldest first, paged like the template list. */
function deliveries(ctx) {
	const endpoint = endpointOf(ctx);
	if (!endpoint) return notFound();
	const status = ctx.query.get('status');
	if (status !== null && !WEBHOOK.deliveryStatuses.includes(status)) {
		return invalid([issue(['query', 'status'], `Input should be ${WEBHOOK.deliveryStatuses.map((s) => `'${s}'`).join(', ')}`, 'enum')]);
	}
	const page = intParam(ctx.query, 'page', TEMPLATE.pageDefault, 1, Number.MAX_SAFE_INTEGER);
	const limit = intParam(ctx.query, 'limit', TEMPLATE.limitDefault, 1, TEMPLATE.limitMax);
	const problems = [page.problem, limit.problem].filter(Boolean);
	if (problems.length) return invalid(problems);
	const all = [...ctx.tenant.deliveryRecords.values()].filter(
		(d) => d.webhook_id === endpoint.id && (status === null || d.status === status),
	);
	return pageAnswer(all, page.value, limit.value, presentDelivery);
}

/** [assumed] POST /webhooks/deliveries/{id}/retry → 202: one attempt now; 409 while the endpoint is disabled. */
function retryDelivery(ctx) {
	const entry = ctx.tenant.deliveryRecords.get(ctx.params.id);
	if (!entry) return fail(404, DETAIL.deliveryNotFound);
	const endpoint = ctx.tenant.webhooks.get(entry.webhook_id);
	if (!endpoint) return notFound();
	if (!endpoint.is_active) return fail(409, DETAIL.webhookDisabled);
	ctx.app.events.retryDelivery(ctx.tenant, entry);
	return reply(202, { data: presentDelivery(entry) });
}

/** `assumed`: Lynkist does not document the route; a docs-only tenant does not have it. */
const routes = [
	{ method: 'GET', path: '/webhooks/:id/deliveries', scope: 'webhooks:read', handle: deliveries, assumed: true },
	{ method: 'POST', path: '/webhooks/deliveries/:id/retry', scope: 'webhooks:write', handle: retryDelivery, assumed: true },
	{ method: 'GET', path: '/webhooks', scope: 'webhooks:read', handle: list },
	{ method: 'POST', path: '/webhooks', scope: 'webhooks:write', body: 'json', handle: create },
	{ method: 'GET', path: '/webhooks/:id', scope: 'webhooks:read', handle: get },
	{ method: 'PUT', path: '/webhooks/:id', scope: 'webhooks:write', body: 'json', handle: update },
	{ method: 'DELETE', path: '/webhooks/:id', scope: 'webhooks:write', handle: remove },
	{ method: 'POST', path: '/webhooks/:id/rotate-secret', scope: 'webhooks:write', handle: rotate },
	{ method: 'POST', path: '/webhooks/:id/test', scope: 'webhooks:write', handle: test },
];

module.exports = { routes, present };
