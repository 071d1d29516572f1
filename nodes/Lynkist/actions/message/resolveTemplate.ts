/**
 * The approved template a send uses, from the node's Template locator and Language: by ID (or
 * picked from the list) or by name. Reads only; a wrong language is caught here, before any send.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LynkistTemplate } from '../../helpers/variables';
import { TEMPLATE_REUSE_MAX, TEMPLATE_REUSE_MS } from '../../../shared/constants';
import { closestName } from '../../helpers/templateList';
import { lynkistPaginate, lynkistRequest, scarceBudgetScope } from '../../../shared/transport';
import type { RunState } from '../types';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface Lookup {
	run?: RunState;
	itemIndex?: number;
}

function cached<T>(lookup: Lookup, key: string, load: () => Promise<T>): Promise<T> {
	return lookup.run ? lookup.run.memo(key, load) : load();
}

/** Every approved template, read once per node run. */
function approvedTemplates(this: Context, lookup: Lookup): Promise<LynkistTemplate[]> {
	return cached(
		lookup,
		'templates',
		async () => (await lynkistPaginate.call(this, '/templates', Infinity, { itemIndex: lookup.itemIndex })) as unknown as LynkistTemplate[],
	);
}

/** Templates fetched by ID while the budget was scarce, by API key and ID: when, and the answer. */
const reused = new Map<string, { at: number; template: Promise<LynkistTemplate> }>();

/**
 * While the key's rate budget is scarce (many small runs, each one send), a template fetched in
 * the last TEMPLATE_REUSE_MS is reused instead of costing every run a request.
 */
async function reuseWhenScarce(this: Context, id: string, load: () => Promise<LynkistTemplate>): Promise<LynkistTemplate> {
	const scope = await scarceBudgetScope.call(this);
	if (!scope) return load();
	const key = `${scope}:${id}`;
	const now = Date.now();
	const hit = reused.get(key);
	if (hit && now - hit.at < TEMPLATE_REUSE_MS) return hit.template;
	if (reused.size >= TEMPLATE_REUSE_MAX) reused.clear();
	const template = load();
	reused.set(key, { at: now, template });
	template.catch(() => reused.delete(key));
	return template;
}

function byId(this: Context, id: string, lookup: Lookup): Promise<LynkistTemplate> {
	return cached(lookup, `id:${id}`, () => reuseWhenScarce.call(this, id, () => fetchById.call(this, id, lookup)));
}

async function fetchById(this: Context, id: string, lookup: Lookup): Promise<LynkistTemplate> {
	const { body } = await lynkistRequest.call(
		this,
		{ method: 'GET', path: `/templates/${encodeURIComponent(id)}` },
		{ itemIndex: lookup.itemIndex },
	);
	return body as unknown as LynkistTemplate;
}

const variants = (all: LynkistTemplate[], name: string) => all.filter((t) => t.template_name === name);

export async function resolveTemplate(
	this: Context,
	locator: INodeParameterResourceLocator,
	languageOverride: string,
	lookup: Lookup = {},
): Promise<LynkistTemplate> {
	const value = String(locator.value ?? '').trim();
	const language = languageOverride.trim();
	const fail = (message: string, description?: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex: lookup.itemIndex, description });
	if (!value) throw fail('Choose a template', 'Pick one from the list, or give its ID or name.');

	if (locator.mode !== 'name') {
		const template = await byId.call(this, value, lookup);
		if (!language || language === template.language) return template;
		const other = variants(await approvedTemplates.call(this, lookup), template.template_name).find((t) => t.language === language);
		if (other) return other;
		throw fail(
			`Template "${template.template_name}" has no approved "${language}" version`,
			`Approved languages: ${variants(await approvedTemplates.call(this, lookup), template.template_name)
				.map((t) => t.language)
				.join(', ')}. Clear the Language field to use ${template.language}.`,
		);
	}

	const approved = await approvedTemplates.call(this, lookup);
	const found = variants(approved, value);
	if (found.length === 0) {
		const near = closestName(
			value,
			approved.map((t) => t.template_name),
		);
		throw fail(
			`No approved template is named "${value}"${near ? `: did you mean "${near}"?` : ''}`,
			'Check the name (lowercase, with underscores) or pick the template from the list. Templates waiting for review cannot be sent.',
		);
	}
	const languages = found.map((t) => t.language).join(', ');
	if (language) {
		const match = found.find((t) => t.language === language);
		if (match) return match;
		throw fail(
			`Template "${value}" has no approved "${language}" version`,
			`Approved languages: ${languages}. Language must match exactly (en_US is not en).`,
		);
	}
	if (found.length === 1) return found[0];
	throw fail(`Template "${value}" exists in several languages: ${languages}`, 'Set the Language field to the one to send.');
}
