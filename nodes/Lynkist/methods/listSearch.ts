/** Searchable pickers of the node: approved templates (server-paged) and WhatsApp locales. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { PAGE_SIZE_MAX } from '../helpers/constants';
import { searchLocales } from '../helpers/locales';
import { matchesFilters, templateLabel } from '../helpers/templateList';
import type { LynkistResponse, Page } from '../transport';
import { lynkistRequest } from '../transport';

/** One page of approved templates whose name contains the search text; the next page on scroll. */
export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const { body } = (await lynkistRequest.call(this, {
		method: 'GET',
		path: '/templates',
		qs: { page, limit: PAGE_SIZE_MAX },
	})) as LynkistResponse<Page>;
	const results = (body.data ?? [])
		.filter((template: IDataObject) => matchesFilters(template, { nameContains: filter }))
		.map((template: IDataObject) => ({ name: templateLabel(template), value: String(template.id) }));
	return { results, paginationToken: body.pagination?.has_next ? String(page + 1) : undefined };
}

/** WhatsApp locales whose code or name contains the search text. */
export async function searchLanguages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return { results: searchLocales(filter).map(({ code, name }) => ({ name: `${name} · ${code}`, value: code })) };
}

export const listSearch = { searchTemplates, searchLanguages };
