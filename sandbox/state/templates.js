'use strict';
/** A tenant's templates: storage, ordering and the review that follows a submit. */
const ids = require('../lib/ids');

const FIELDS = ['id', 'template_name', 'language', 'category', 'status', 'components', 'created_at', 'updated_at'];

/** The public template object. */
function present(template) {
	const out = {};
	for (const field of FIELDS) out[field] = template[field];
	return out;
}

function addTemplate(tenant, fields) {
	const template = {
		id: fields.id ?? ids.uuid(),
		template_name: fields.template_name,
		language: fields.language,
		category: fields.category,
		status: fields.status ?? 'draft',
		components: fields.components ?? null,
		created_at: fields.created_at ?? new Date().toISOString(),
		updated_at: fields.updated_at ?? null,
		seq: tenant.templates.length,
	};
	tenant.templates.push(template);
	return template;
}

const findTemplate = (tenant, id) => tenant.templates.find((t) => t.id === id);

const findByNameLanguage = (tenant, name, language) => tenant.templates.find((t) => t.template_name === name && t.language === language);

const approvedVariants = (tenant, name) => tenant.templates.filter((t) => t.template_name === name && t.status === 'approved');

/** Approved templates, newest first (created_at desc, then latest insertion first). */
function listApproved(tenant) {
	return tenant.templates
		.filter((t) => t.status === 'approved')
		.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.seq - a.seq));
}

/** Moves a draft to pending and schedules Meta's verdict. */
function submitForReview(tenant, template, scheduler) {
	template.status = 'pending';
	template.updated_at = new Date().toISOString();
	scheduler.after(tenant.settings.review.delay_ms, () => {
		if (template.status !== 'pending') return;
		const { outcome, outcomes } = tenant.settings.review;
		template.status = outcomes[template.template_name] ?? outcome;
		template.updated_at = new Date().toISOString();
	});
}

module.exports = { present, addTemplate, findTemplate, findByNameLanguage, approvedVariants, listApproved, submitForReview };
