'use strict';
/** Shared plumbing of the sandbox contract tests: HTTP calls, tenants and a local webhook receiver. */
const http = require('node:http');
const crypto = require('node:crypto');
const { startSandbox } = require('../../sandbox');

/** A JSON (or raw) request; → { status, headers, body, text }. */
async function call(url, { method = 'GET', key, body, headers = {}, raw } = {}) {
	const init = { method, headers: { ...headers } };
	if (key) init.headers.Authorization = `Bearer ${key}`;
	if (raw !== undefined) init.body = raw;
	else if (body !== undefined) {
		init.body = JSON.stringify(body);
		init.headers['Content-Type'] = 'application/json';
	}
	const res = await fetch(url, init);
	const text = await res.text();
	let parsed = null;
	try {
		parsed = text ? JSON.parse(text) : null;
	} catch {
		parsed = null;
	}
	return { status: res.status, headers: res.headers, body: parsed, text };
}

function bind(sandbox) {
	const api = (method, path, options = {}) => call(sandbox.apiUrl + path, { method, ...options });
	const control = async (method, path, body) => {
		const res = await call(sandbox.controlUrl + path, { method, body });
		return res;
	};
	/** A fresh tenant; → { id, key }. */
	const tenant = async (settings = {}) => {
		const res = await control('POST', '/tenants', settings);
		if (res.status !== 201) throw new Error(`tenant creation failed: ${res.text}`);
		return { id: res.body.tenant_id, key: res.body.key };
	};
	const readBack = async (tenantId, what) => (await control('GET', `/tenants/${tenantId}/${what}`)).body.data;
	return { api, control, tenant, readBack };
}

async function start(options = {}) {
	const sandbox = await startSandbox({ port: 0, ...options });
	return { sandbox, ...bind(sandbox) };
}

/** A local webhook receiver on 127.0.0.1 recording every request; `respond(req)` → status. */
async function receiver(respond = () => 200) {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
			received.push(entry);
			res.writeHead(respond(entry, received.length));
			res.end();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}/hook`,
		received,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

async function waitFor(check, timeoutMs = 5000, stepMs = 10) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, stepMs));
	}
}

/** Verifies a delivery the way a receiver should: HMAC-SHA256 over "<timestamp>.<raw body>". */
function verify(secret, entry, toleranceSeconds = 300) {
	const timestamp = entry.headers['x-lynkist-timestamp'];
	const signature = entry.headers['x-lynkist-signature'];
	if (!timestamp || !signature) return false;
	if (Math.abs(Math.floor(Date.now() / 1000) - Number(timestamp)) > toleranceSeconds) return false;
	const expected = 'sha256=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${entry.body}`).digest('hex');
	return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

module.exports = { start, call, receiver, waitFor, verify, sleep };
