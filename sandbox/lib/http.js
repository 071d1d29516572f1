'use strict';
/** Request reading and response writing shared by the API, the control surface and media files. */

/** A handler's answer: `{ status, body?, headers? }`; no body means an empty response. */
const reply = (status, body, headers) => ({ status, body, headers });
const fail = (status, detail, headers) => reply(status, { detail }, headers);
/** One FastAPI-style validation problem. */
const issue = (loc, msg, type = 'value_error') => ({ loc, msg, type });
const invalid = (issues) => fail(422, issues);

/** 200 with page `page` of `items` (each through `present`) and the pagination every Lynkist list carries. */
/** Parses an integer query parameter (page, limit); → `{ value }` or `{ problem }`. */
function intParam(query, name, fallback, min, max) {
	const raw = query.get(name);
	if (raw === null) return { value: fallback };
	const loc = ['query', name];
	if (!/^-?\d+$/.test(raw.trim())) {
		return { problem: issue(loc, 'Input should be a valid integer, unable to parse string as an integer', 'int_parsing') };
	}
	const value = Number(raw);
	if (value < min) return { problem: issue(loc, `Input should be greater than or equal to ${min}`, 'greater_than_equal') };
	if (value > max) return { problem: issue(loc, `Input should be less than or equal to ${max}`, 'less_than_equal') };
	return { value };
}

function pageAnswer(items, page, limit, present) {
	const totalPages = Math.ceil(items.length / limit);
	return reply(200, {
		data: items.slice((page - 1) * limit, page * limit).map(present),
		pagination: { page, limit, total_items: items.length, total_pages: totalPages, has_next: page < totalPages, has_prev: page > 1 },
	});
}

function splitUrl(rawUrl) {
	const q = rawUrl.indexOf('?');
	const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
	const query = new URLSearchParams(q === -1 ? '' : rawUrl.slice(q + 1));
	return { path: path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path, query };
}

/** Resolves with the whole body, or `null` once it grows past `maxBytes`. */
function readBody(req, maxBytes = Infinity) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		let over = false;
		req.on('data', (chunk) => {
			if (over) return;
			size += chunk.length;
			if (size > maxBytes) {
				over = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => resolve(over ? null : Buffer.concat(chunks, size)));
		req.on('error', reject);
	});
}

/** → `{ ok: true, value }` or `{ ok: false }` for an empty or malformed body. */
function parseJson(buffer) {
	if (!buffer || buffer.length === 0) return { ok: false };
	try {
		return { ok: true, value: JSON.parse(buffer.toString('utf8')) };
	} catch {
		return { ok: false };
	}
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

function write(res, answer, baseHeaders) {
	const headers = { ...baseHeaders, ...answer.headers };
	if (answer.body === undefined) {
		res.writeHead(answer.status, headers);
		res.end();
		return;
	}
	if (Buffer.isBuffer(answer.body)) {
		headers['Content-Length'] = answer.body.length;
		res.writeHead(answer.status, headers);
		res.end(answer.body);
		return;
	}
	const text = JSON.stringify(answer.body);
	headers['Content-Type'] = 'application/json';
	headers['Content-Length'] = Buffer.byteLength(text);
	res.writeHead(answer.status, headers);
	res.end(text);
}

module.exports = { reply, fail, issue, invalid, intParam, pageAnswer, splitUrl, readBody, parseJson, isObject, write };
