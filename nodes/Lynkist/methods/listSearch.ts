/** Searchable pickers of the node: approved templates (server-paged) and WhatsApp locales. */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { PAGE_SIZE_MAX } from '../../shared/constants';
import { searchLocales } from '../helpers/locales';
import { quickReplyButtons } from '../helpers/replies';
import { matchesFilters, templateLabel } from '../helpers/templateList';
import type { LynkistResponse, Page } from '../../shared/transport';
import { lynkistRequest } from '../../shared/transport';

/** How many matches the template picker shows before it offers more. */
const PICKER_PAGE = 100;

/**
 * Approved templates whose name contains the search text (and that `keep` keeps). Lynkist's list
 * cannot search, so its pages are read from the token on until a picker page of matches is full
 * or the list ends: a match on the last page is found too. The token is the next page of
 * Lynkist's list to read.
 */
async function search(
	context: ILoadOptionsFunctions,
	filter: string | undefined,
	paginationToken: string | undefined,
	keep?: (template: IDataObject) => boolean,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchResult['results'] = [];
	let page = Number(paginationToken) || 1;
	for (;;) {
		const { body } = (await lynkistRequest.call(context, {
			method: 'GET',
			path: '/templates',
			qs: { page, limit: PAGE_SIZE_MAX },
		})) as LynkistResponse<Page>;
		for (const template of body.data ?? []) {
			if (matchesFilters(template, { nameContains: filter }) && (!keep || keep(template)))
				results.push({ name: templateLabel(template), value: String(template.id) });
		}
		if (!body.pagination?.has_next || (body.data ?? []).length === 0) return { results };
		page++;
		if (results.length >= PICKER_PAGE || (!filter?.trim() && !keep)) return { results, paginationToken: String(page) };
	}
}

export async function searchTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return search(this, filter, paginationToken);
}

/** Approved templates with at least one quick-reply button: those a button reply can answer. */
export async function searchQuickReplyTemplates(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return search(this, filter, paginationToken, (template) => quickReplyButtons(template).length > 0);
}

/** Contacts whose name, email or company contains the search text (Lynkist searches), a page at a time. */
export async function searchContacts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken) || 1;
	const { body } = (await lynkistRequest.call(this, {
		method: 'GET',
		path: '/contacts',
		qs: { page, limit: PAGE_SIZE_MAX, ...(filter?.trim() && { search: filter.trim() }) },
	})) as LynkistResponse<Page>;
	const results = (body.data ?? []).map((c) => ({
		name: [[c.first_name, c.last_name].filter(Boolean).join(' '), c.phone ?? c.email].filter(Boolean).join(' · '),
		value: String(c.id),
	}));
	return { results, paginationToken: body.pagination?.has_next ? String(page + 1) : undefined };
}

/** WhatsApp locales whose code or name contains the search text. */
export async function searchLanguages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return { results: searchLocales(filter).map(({ code, name }) => ({ name: `${name} · ${code}`, value: code })) };
}

export const listSearch = { searchTemplates, searchQuickReplyTemplates, searchContacts, searchLanguages };
