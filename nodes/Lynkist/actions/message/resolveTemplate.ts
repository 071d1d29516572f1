/**
 * The approved template a send uses, from the node's Template locator and Language: by ID (or
 * picked from the list) or by name. Reads only; a wrong language is caught here, before any send.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LynkistTemplate } from '../../helpers/variables';
import { lynkistPaginate, lynkistRequest } from '../../transport';
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
		async () =>
			(await lynkistPaginate.call(this, '/templates', Infinity, {
				gate: lookup.run?.gate,
				itemIndex: lookup.itemIndex,
			})) as unknown as LynkistTemplate[],
	);
}

function byId(this: Context, id: string, lookup: Lookup): Promise<LynkistTemplate> {
	return cached(lookup, `id:${id}`, async () => {
		const { body } = await lynkistRequest.call(
			this,
			{ method: 'GET', path: `/templates/${encodeURIComponent(id)}` },
			{ gate: lookup.run?.gate, itemIndex: lookup.itemIndex },
		);
		return body as unknown as LynkistTemplate;
	});
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

	const found = variants(await approvedTemplates.call(this, lookup), value);
	if (found.length === 0) {
		throw fail(
			`No approved template is named "${value}"`,
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
