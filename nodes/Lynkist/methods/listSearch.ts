/** Searchable pickers of the node: approved templates (server-paged) and WhatsApp locales. */
import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { PAGE_SIZE_MAX } from '../helpers/constants';
import { searchLocales } from '../helpers/locales';
import { matchesFilters, templateLabel } from '../helpers/templateList';
import type { LynkistResponse, Page } from '../transport';
import { lynkistRequest } from '../transport';

/** How many matches the template picker shows before it offers more. */
const PICKER_PAGE = 100;

/**
 * Approved templates whose name contains the search text. Lynkist's list cannot search, so its
 * pages are read from the token on until a picker page of matches is full or the list ends: a
 * match on the last page is found too. The token is the next page of Lynkist's list to read.
 */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchResult['results'] = [];
	let page = Number(paginationToken) || 1;
	for (;;) {
		const { body } = (await lynkistRequest.call(this, {
			method: 'GET',
			path: '/templates',
			qs: { page, limit: PAGE_SIZE_MAX },
		})) as LynkistResponse<Page>;
		for (const template of body.data ?? []) {
			if (matchesFilters(template, { nameContains: filter })) results.push({ name: templateLabel(template), value: String(template.id) });
		}
		if (!body.pagination?.has_next || (body.data ?? []).length === 0) return { results };
		page++;
		if (results.length >= PICKER_PAGE || !filter?.trim()) return { results, paginationToken: String(page) };
	}
}

/** WhatsApp locales whose code or name contains the search text. */
export async function searchLanguages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return { results: searchLocales(filter).map(({ code, name }) => ({ name: `${name} · ${code}`, value: code })) };
}

export const listSearch = { searchTemplates, searchLanguages };
