'use strict';
/**
 * The local Lynkist: an in-memory, multi-tenant impersonation of the Lynkist Public API over real
 * HTTP, with a control surface for tests, demos and benchmarks.
 */
const http = require('node:http');
const constants = require('./constants');
const { createScheduler } = require('./lib/scheduler');
const { splitUrl, fail, write } = require('./lib/http');
const ids = require('./lib/ids');
const { createStore } = require('./state/store');
const { seedDemo, seedDefinition, DEMO_KEY, DEMO_TENANT_ID, SEED_TEMPLATE_IDS } = require('./state/seed');
const { createEvents } = require('./events');
const { createApi } = require('./api');
const { peek } = require('./api/rateLimit');
const media = require('./api/media');
const { createControl } = require('./control');

const { API_BASE, CONTROL_BASE, MEDIA_FILES_BASE, HEADERS, WEBHOOK, IDEMPOTENCY } = constants;

const under = (path, base) => path === base || path.startsWith(`${base}/`);

function urlOf(address) {
	const host = ['0.0.0.0', '::'].includes(address.address) ? '127.0.0.1' : address.address;
	return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * options: { port = 0, host = '127.0.0.1', seed = true, timeScale = 1, deliveryTimeoutMs,
 * idempotencyTtlMs, allowHttpLoopback, mediaLimits: { image, video, other }, publicUrl,
 * docsOnly = false }.
 * → { url, apiUrl, controlUrl, demoKey, close() }.
 */
async function startSandbox(options = {}) {
	const {
		port = 0,
		host = '127.0.0.1',
		seed = true,
		timeScale = 1,
		deliveryTimeoutMs = WEBHOOK.responseTimeoutMs,
		idempotencyTtlMs = IDEMPOTENCY.ttlMs,
		allowHttpLoopback = WEBHOOK.allowHttpLoopback,
		mediaLimits = {},
		publicUrl,
		docsOnly = false,
	} = options;
	const config = { seed, timeScale, deliveryTimeoutMs, idempotencyTtlMs, allowHttpLoopback, mediaLimits, docsOnly: docsOnly === true };
	const app = { config, urls: {}, scheduler: createScheduler(), store: createStore(config) };
	app.events = createEvents(app);
	app.reset = () => {
		app.scheduler.cancelAll();
		app.events.abortAll();
		app.store.clear();
		if (config.seed) seedDemo(app.store);
	};
	app.reset();

	const api = createApi(app);
	const control = createControl(app);

	function route(req, res) {
		const { path, query } = splitUrl(req.url);
		if (under(path, API_BASE)) return api(req, res, path, query);
		if (under(path, CONTROL_BASE)) return control(req, res, path, query);
		const answer = under(path, MEDIA_FILES_BASE) && req.method === 'GET' ? media.serve(app, path) : fail(404, constants.DETAIL.notFound);
		return write(res, answer, { [HEADERS.requestId]: ids.requestId(), ...peek(null) });
	}

	const server = http.createServer((req, res) => {
		Promise.resolve()
			.then(() => route(req, res))
			.catch(() => {
				if (!res.headersSent) write(res, fail(500, 'Internal Server Error'), { [HEADERS.requestId]: ids.requestId() });
				else res.destroy();
			});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const url = urlOf(server.address());
	app.urls.base = publicUrl ?? url;
	let closing = null;

	return {
		url,
		apiUrl: url + API_BASE,
		controlUrl: url + CONTROL_BASE,
		demoKey: seed ? DEMO_KEY : null,
		close() {
			closing ??= new Promise((resolve) => {
				app.scheduler.stop();
				app.events.abortAll();
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closing;
		},
	};
}

module.exports = { startSandbox, seedDefinition, DEMO_KEY, DEMO_TENANT_ID, SEED_TEMPLATE_IDS, constants };
