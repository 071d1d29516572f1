'use strict';
/** POST /messages/template, with Idempotency-Key replay. */
const { MESSAGE, DETAIL, HEADERS, IDEMPOTENCY } = require('../constants');
const ids = require('../lib/ids');
const { reply, fail, invalid, parseJson, isObject } = require('../lib/http');
const { approvedVariants } = require('../state/templates');
const { checkShape, checkFit } = require('./sendRules');
const idempotency = require('./idempotency');

/** The 400-class problems of the required fields; null when they are usable. */
function checkFields(value) {
	const { to, template_name: name, language } = value;
	if (to === undefined || to === null) return 'Missing required field: to';
	if (typeof to !== 'string' || !MESSAGE.e164.test(to)) {
		return "Field 'to' must be a phone number in E.164 format, e.g. +919999999999";
	}
	if (name === undefined || name === null || name === '') return 'Missing required field: template_name';
	if (typeof name !== 'string') return "Field 'template_name' must be a string";
	if (language !== undefined && language !== null && typeof language !== 'string') return "Field 'language' must be a string";
	return null;
}

/** The approved template for a name and language, or the 422 answer explaining why there is none. */
function resolveTemplate(tenant, name, language) {
	const variants = approvedVariants(tenant, name);
	if (!variants.length) return { answer: fail(422, `No approved template named '${name}'`) };
	const template = variants.find((t) => t.language === language);
	if (template) return { template };
	const languages = variants.map((t) => t.language).join(', ');
	return {
		answer: fail(422, `Template '${name}' is not approved in language '${language}'. Approved languages: ${languages}`),
	};
}

function sendOnce(ctx, parsed) {
	const { app, tenant } = ctx;
	if (!parsed.ok || !isObject(parsed.value)) return fail(400, 'Malformed JSON body: expected a JSON object');
	const value = parsed.value;
	const problem = checkFields(value);
	if (problem) return fail(400, problem);
	const components = value.components ?? [];
	const shape = checkShape(components);
	if (shape.length) return invalid(shape);
	if (!tenant.settings.waba_active) return fail(404, DETAIL.noWaba);
	const language = value.language ?? MESSAGE.defaultLanguage;
	const resolved = resolveTemplate(tenant, value.template_name, language);
	if (resolved.answer) return resolved.answer;
	const misfit = checkFit(resolved.template, components);
	if (misfit) return fail(422, misfit);

	const message = {
		message_id: ids.wamid(),
		to: value.to,
		template_id: resolved.template.id,
		template_name: value.template_name,
		language,
		components,
		status: MESSAGE.acceptedStatus,
		idempotency_key: ctx.idempotencyKey ?? null,
		request_id: ctx.requestId,
		created_at: new Date().toISOString(),
		events: [],
	};
	tenant.messages.push(message);
	app.events.messageAccepted(tenant, message);
	return reply(200, { message_id: message.message_id, status: message.status, to: message.to });
}

/**
 * [assumed] A 200 answer says whether it is a replay: `Idempotent-Replayed: true` or `false`.
 * Docs-only, Lynkist documents no such header and the answer carries none.
 */
function marked(ctx, answer, replayed) {
	if (answer.status !== 200 || ctx.docsOnly) return answer;
	return { ...answer, headers: { ...answer.headers, [HEADERS.idempotentReplayed]: String(replayed) } };
}

/** Everything after the body is read runs in one tick, so concurrent retries cannot both send. */
function send(ctx) {
	const { app, tenant, idempotencyKey: key, body } = ctx;
	if (key !== undefined && !IDEMPOTENCY.keyPattern.test(key)) return fail(400, DETAIL.idempotencyFormat);
	const parsed = parseJson(body);
	if (key === undefined) return marked(ctx, sendOnce(ctx, parsed), false);

	const fingerprint = parsed.ok ? idempotency.canonical(parsed.value) : `raw:${body.toString('utf8')}`;
	const recalled = idempotency.recall(tenant, key, fingerprint);
	if (recalled?.mismatch) return fail(422, DETAIL.idempotencyMismatch);
	if (recalled) {
		const { answer, message_id, request_id } = recalled.entry;
		tenant.replays.push({
			idempotency_key: key,
			message_id,
			request_id: ctx.requestId,
			original_request_id: request_id,
			time: new Date().toISOString(),
		});
		return marked(ctx, answer, true);
	}
	const answer = sendOnce(ctx, parsed);
	if (answer.status === 200) {
		const extra = { message_id: answer.body.message_id, request_id: ctx.requestId };
		idempotency.remember(tenant, key, fingerprint, answer, app.config.idempotencyTtlMs, extra);
	}
	return marked(ctx, answer, false);
}

const routes = [{ method: 'POST', path: '/messages/template', scope: 'messages:send', body: 'json', handle: send }];

module.exports = { routes };
