'use strict';
/**
 * The Contacts API: GET/POST /contacts, POST /contacts/search, POST /contacts/bulk, GET/PATCH/DELETE
 * /contacts/{id}. A delete archives: the contact leaves every list and lookup, and `contact.deleted`
 * is sent. Creates and changes send `contact.created` / `contact.updated` with the contact as data.
 */
const { CONTACT } = require('../constants');
const { reply, fail, issue, invalid, pageAnswer, parseJson, isObject } = require('../lib/http');
const { isUuid, uuid } = require('../lib/ids');

const DETAIL_NOT_FOUND = 'Contact not found';
const isText = (v) => typeof v === 'string';

/** Problems with the contact fields in `input` (all of them on create, the given ones on update). */
function checkFields(input, { create, loc = ['body'] }) {
	const problems = [];
	const at = (field) => [...loc, field];
	for (const field of Object.keys(input)) {
		if (!CONTACT.fields.includes(field)) problems.push(issue(at(field), 'Extra inputs are not permitted', 'extra_forbidden'));
	}
	const { first_name: first, phone, email, tags, custom_fields: custom } = input;
	if (create && first === undefined) problems.push(issue(at('first_name'), 'Field required', 'missing'));
	else if (first !== undefined && (!isText(first) || first.trim().length === 0 || first.length > CONTACT.firstNameMax))
		problems.push(issue(at('first_name'), `String should have 1 to ${CONTACT.firstNameMax} characters`, 'string_type'));
	for (const field of ['last_name', 'company', 'job_title', 'status', 'email', 'phone']) {
		const value = input[field];
		if (value === undefined || value === null) continue;
		if (!isText(value)) problems.push(issue(at(field), 'Input should be a valid string', 'string_type'));
		else if (value.length > (field === 'phone' ? CONTACT.phoneMax : CONTACT.textMax))
			problems.push(
				issue(
					at(field),
					`String should have at most ${field === 'phone' ? CONTACT.phoneMax : CONTACT.textMax} characters`,
					'string_too_long',
				),
			);
	}
	if (isText(phone) && phone.length <= CONTACT.phoneMax && !CONTACT.phonePattern.test(phone))
		problems.push(issue(at('phone'), 'Phone must be in E.164 format, e.g. +14155550123', 'value_error'));
	if (isText(email) && !CONTACT.emailPattern.test(email))
		problems.push(issue(at('email'), 'value is not a valid email address', 'value_error'));
	if (tags !== undefined && tags !== null && !(Array.isArray(tags) && tags.every(isText)))
		problems.push(issue(at('tags'), 'Input should be a valid list of strings', 'list_type'));
	if (custom !== undefined && custom !== null && !isObject(custom))
		problems.push(issue(at('custom_fields'), 'Input should be a valid dictionary', 'dict_type'));
	return problems;
}

function present(contact) {
	const { archived, ...shown } = contact;
	return structuredClone(shown);
}

const live = (tenant) => [...tenant.contacts.values()].filter((c) => !c.archived);
const findLive = (tenant, id) => (isUuid(id) ? tenant.contacts.get(id) : undefined) ?? null;
const byPhone = (tenant, phone) => live(tenant).find((c) => c.phone === phone) ?? null;

function createContact(app, tenant, input) {
	const now = new Date().toISOString();
	const contact = {
		id: uuid(),
		first_name: input.first_name,
		last_name: input.last_name ?? null,
		phone: input.phone ?? null,
		email: input.email ?? null,
		company: input.company ?? null,
		job_title: input.job_title ?? null,
		status: input.status ?? null,
		tags: input.tags ?? [],
		custom_fields: input.custom_fields ?? {},
		created_at: now,
		updated_at: now,
	};
	tenant.contacts.set(contact.id, contact);
	void app.events.emit(tenant, 'contact.created', present(contact));
	return contact;
}

function updateContact(app, tenant, contact, changes) {
	for (const [field, value] of Object.entries(changes))
		contact[field] = value ?? (field === 'tags' ? [] : field === 'custom_fields' ? {} : null);
	contact.updated_at = new Date().toISOString();
	void app.events.emit(tenant, 'contact.updated', present(contact));
	return contact;
}

/** Parses an integer paging field from the query or a body; → `{ value }` or `{ problem }`. */
function pageField(raw, loc, fallback, max) {
	if (raw === undefined || raw === null) return { value: fallback };
	const value = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
	if (!Number.isInteger(value)) return { problem: issue(loc, 'Input should be a valid integer', 'int_parsing') };
	if (value < 1) return { problem: issue(loc, 'Input should be greater than or equal to 1', 'greater_than_equal') };
	if (value > max) return { problem: issue(loc, `Input should be less than or equal to ${max}`, 'less_than_equal') };
	return { value };
}

/** One page of the contacts that match, oldest first, paged as the template list. */
function page(tenant, { search, status, phones, tags }, pageRaw, limitRaw, loc) {
	const pageNo = pageField(pageRaw, [...loc, 'page'], CONTACT.pageDefault, Number.MAX_SAFE_INTEGER);
	const limit = pageField(limitRaw, [...loc, 'limit'], CONTACT.limitDefault, CONTACT.limitMax);
	const problems = [pageNo.problem, limit.problem].filter(Boolean);
	if (problems.length) return invalid(problems);
	const needle = isText(search) ? search.trim().toLowerCase() : '';
	const matches = live(tenant).filter(
		(c) =>
			(!needle || [c.first_name, c.last_name, c.email, c.company].some((v) => isText(v) && v.toLowerCase().includes(needle))) &&
			(status === undefined || status === null || c.status === status) &&
			(!phones || phones.includes(c.phone)) &&
			(!tags || tags.every((t) => c.tags.includes(t))),
	);
	return pageAnswer(matches, pageNo.value, limit.value, present);
}

function list({ tenant, query }) {
	return page(tenant, { search: query.get('search'), status: query.get('status') }, query.get('page'), query.get('limit'), ['query']);
}

function jsonBody(body) {
	const parsed = parseJson(body);
	return parsed.ok && isObject(parsed.value) ? parsed.value : null;
}

function search({ tenant, body }) {
	const input = jsonBody(body);
	if (!input) return fail(400, 'Request body must be a JSON object');
	const { search: text, status, phones, tags } = input;
	const problems = [];
	if (text !== undefined && !isText(text)) problems.push(issue(['body', 'search'], 'Input should be a valid string', 'string_type'));
	if (status !== undefined && !isText(status)) problems.push(issue(['body', 'status'], 'Input should be a valid string', 'string_type'));
	if (phones !== undefined && !(Array.isArray(phones) && phones.every(isText) && phones.length <= CONTACT.searchPhonesMax))
		problems.push(issue(['body', 'phones'], `Input should be a list of at most ${CONTACT.searchPhonesMax} strings`, 'list_type'));
	if (tags !== undefined && !(Array.isArray(tags) && tags.every(isText)))
		problems.push(issue(['body', 'tags'], 'Input should be a valid list of strings', 'list_type'));
	if (problems.length) return invalid(problems);
	return page(tenant, { search: text, status, phones, tags }, input.page, input.limit, ['body']);
}

function get({ tenant, params }) {
	const contact = findLive(tenant, params.id);
	return contact && !contact.archived ? reply(200, present(contact)) : fail(404, DETAIL_NOT_FOUND);
}

function create({ app, tenant, body }) {
	const input = jsonBody(body);
	if (!input) return fail(400, 'Request body must be a JSON object');
	const problems = checkFields(input, { create: true });
	if (problems.length) return invalid(problems);
	return reply(201, present(createContact(app, tenant, input)));
}

function update({ app, tenant, params, body }) {
	const contact = findLive(tenant, params.id);
	if (!contact || contact.archived) return fail(404, DETAIL_NOT_FOUND);
	const input = jsonBody(body);
	if (!input) return fail(400, 'Request body must be a JSON object');
	const problems = checkFields(input, { create: false });
	if (problems.length) return invalid(problems);
	return reply(200, present(updateContact(app, tenant, contact, input)));
}

function archive({ app, tenant, params }) {
	const contact = findLive(tenant, params.id);
	if (!contact || contact.archived) return fail(404, DETAIL_NOT_FOUND);
	contact.archived = true;
	contact.updated_at = new Date().toISOString();
	void app.events.emit(tenant, 'contact.deleted', present(contact));
	return reply(204);
}

/**
 * [assumed] `{contacts: [...], upsert_by?: 'phone'}`: every valid contact is created, or with
 * `upsert_by: 'phone'` the live contact with its phone is updated; → `{data: [{index, status:
 * 'created' | 'updated', contact} | {index, status: 'failed', detail}]}`, one entry per contact in
 * input order, `detail` in the 422 list form.
 */
function bulk({ app, tenant, body }) {
	const input = jsonBody(body);
	if (!input) return fail(400, 'Request body must be a JSON object');
	const { contacts, upsert_by: upsertBy } = input;
	if (!Array.isArray(contacts) || contacts.length === 0 || contacts.length > CONTACT.bulkMax)
		return invalid([issue(['body', 'contacts'], `Input should be a list of 1 to ${CONTACT.bulkMax} contacts`, 'list_type')]);
	if (upsertBy !== undefined && upsertBy !== 'phone')
		return invalid([issue(['body', 'upsert_by'], "Input should be 'phone'", 'literal_error')]);
	const data = contacts.map((entry, index) => {
		const loc = ['body', 'contacts', index];
		if (!isObject(entry)) return { index, status: 'failed', detail: [issue(loc, 'Input should be a valid dictionary', 'dict_type')] };
		const existing = upsertBy === 'phone' && isText(entry.phone) ? byPhone(tenant, entry.phone) : null;
		const problems = checkFields(entry, { create: !existing, loc });
		if (problems.length) return { index, status: 'failed', detail: problems };
		if (existing) return { index, status: 'updated', contact: present(updateContact(app, tenant, existing, entry)) };
		return { index, status: 'created', contact: present(createContact(app, tenant, entry)) };
	});
	return reply(200, { data });
}

/** `assumed`: Lynkist documents no body for it; a docs-only tenant does not have the route. */
const routes = [
	{ method: 'GET', path: '/contacts', scope: 'contacts:read', handle: list },
	{ method: 'POST', path: '/contacts', scope: 'contacts:write', body: 'json', handle: create },
	{ method: 'POST', path: '/contacts/search', scope: 'contacts:read', body: 'json', handle: search, assumed: true },
	{ method: 'POST', path: '/contacts/bulk', scope: 'contacts:write', body: 'json', handle: bulk, assumed: true },
	{ method: 'GET', path: '/contacts/:id', scope: 'contacts:read', handle: get },
	{ method: 'PATCH', path: '/contacts/:id', scope: 'contacts:write', body: 'json', handle: update },
	{ method: 'DELETE', path: '/contacts/:id', scope: 'contacts:write', handle: archive },
];

module.exports = { routes };
