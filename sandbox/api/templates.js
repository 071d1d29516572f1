'use strict';
/** GET/POST /templates, GET /templates/{id}, POST /templates/{id}/submit. */
const { TEMPLATE, DETAIL } = require('../constants');
const { reply, fail, issue, invalid, intParam, pageAnswer, parseJson, isObject } = require('../lib/http');
const { isUuid } = require('../lib/ids');
const { checkTemplate, storedForm } = require('../state/templateRules');
const { headerSampleProblems } = require('../state/templateMedia');
const store = require('../state/templates');

const REQUIRED = ['template_name', 'language', 'category', 'components'];

function list({ tenant, query }) {
	const page = intParam(query, 'page', TEMPLATE.pageDefault, 1, Number.MAX_SAFE_INTEGER);
	const limit = intParam(query, 'limit', TEMPLATE.limitDefault, 1, TEMPLATE.limitMax);
	const problems = [page.problem, limit.problem].filter(Boolean);
	if (problems.length) return invalid(problems);
	return pageAnswer(store.listApproved(tenant), page.value, limit.value, store.present);
}

function get({ tenant, params }) {
	const template = isUuid(params.id) ? store.findTemplate(tenant, params.id) : null;
	if (!template || template.status !== 'approved') return fail(404, DETAIL.templateNotFound);
	return reply(200, store.present(template));
}

/**
 * Validates a new template against the tenant's; → `{ answer }` on a problem, else `{ fields }`.
 * `options.stored`: the components are already in Meta's stored form (templates seeded by the
 * control surface), so a media header's sample is not asked for; otherwise it must be the handle
 * of a sample this tenant uploaded through a template media session.
 */
function validateNew(tenant, input, options = {}) {
	const problems = checkTemplate(input, options);
	if (!options.stored) problems.push(...headerSampleProblems(tenant, input.components));
	if (problems.length) return { answer: invalid(problems) };
	if (store.findByNameLanguage(tenant, input.template_name, input.language)) {
		return {
			answer: fail(409, `A template named '${input.template_name}' with language '${input.language}' already exists`),
		};
	}
	const { template_name, language, category, components } = input;
	return { fields: { template_name, language, category, components: storedForm(components) } };
}

function create({ tenant, body }) {
	const parsed = parseJson(body);
	if (!parsed.ok || !isObject(parsed.value)) return fail(400, 'Request body must be a JSON object');
	const missing = REQUIRED.filter((field) => parsed.value[field] === undefined || parsed.value[field] === null);
	if (missing.length) return fail(400, `Missing required field(s): ${missing.join(', ')}`);
	const checked = validateNew(tenant, parsed.value);
	if (checked.answer) return checked.answer;
	return reply(201, store.present(store.addTemplate(tenant, checked.fields)));
}

function submit({ app, tenant, params }) {
	const template = isUuid(params.id) ? store.findTemplate(tenant, params.id) : null;
	if (!template) return fail(404, DETAIL.templateNotFound);
	if (template.status === 'rejected') return fail(409, 'A rejected template cannot be resubmitted; create a new template');
	if (template.status !== 'draft') return fail(409, `Template is already ${template.status}`);
	store.submitForReview(tenant, template, app.scheduler);
	return reply(200, store.present(template));
}

const routes = [
	{ method: 'GET', path: '/templates', scope: 'templates:read', handle: list },
	{ method: 'POST', path: '/templates', scope: 'templates:write', body: 'json', handle: create },
	{ method: 'GET', path: '/templates/:id', scope: 'templates:read', handle: get },
	{ method: 'POST', path: '/templates/:id/submit', scope: 'templates:write', handle: submit },
];

module.exports = { routes, validateNew };
