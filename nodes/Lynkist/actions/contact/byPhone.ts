/**
 * Contacts by phone, many at a time: found with one search per 100 phones, and saved (created or
 * updated) with one bulk request per CONTACT_API.bulkMax contacts [assumed bodies] — or, when
 * Lynkist refuses them, from its whole contact list and with one request each, where today's
 * budget can hold them. Contact → Create or Update and Send Template's contact options both go
 * through here. Saving by phone is safe to repeat, so a lost answer is asked again.
 */
import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CONTACT_API, PAGE_SIZE_MAX } from '../../../shared/constants';
import { mergedWithContact, needsExisting } from '../../helpers/contacts';
import { oneByOneRequests, shortfall, shortfallWords } from '../../../shared/helpers/dailyBudget';
import { toE164 } from '../../helpers/phone';
import type { LynkistResponse } from '../../../shared/transport';
import { lynkistPaginate, lynkistRequest, remainingToday } from '../../../shared/transport';

/** Phone (E.164) → the live contacts with it, oldest first; [] for a phone searched and not found. */
export type ContactsByPhone = Map<string, IDataObject[]>;

/** A contact body for item `itemIndex`, with its phone, and whether its tags replace the contact's. */
export interface ContactToSave {
	itemIndex: number;
	body: IDataObject;
	replaceTags: boolean;
}

/** A saved contact with `action` (created / updated), or the error that kept it from being saved. */
export type SaveResult = IDataObject | Error;

/** Requests in flight at once when Lynkist refuses the bulk body (its rate limit is followed regardless). */
const ONE_BY_ONE_AT_ONCE = 10;

/** Statuses with which Lynkist says it has no such endpoint (bulk, search), or does not take this body. */
const REFUSED = [404, 405, 400, 422];

/** The `found` maps that hold every live contact (read from the whole list): a phone not in one has no contact. */
const wholeList = new WeakSet<ContactsByPhone>();

const refusedStatus = (error: unknown) => Number((error as NodeApiError | undefined)?.context?.status);

/**
 * Every live contact, by phone (as E.164, however Lynkist stores it): the documented list,
 * read whole, for a Lynkist that refuses the search body.
 */
async function readWholeList(this: IExecuteFunctions, found: ContactsByPhone, asked: string[]) {
	const contacts = await lynkistPaginate.call(this, '/contacts');
	for (const phone of asked) found.set(phone, []);
	for (const contact of contacts) {
		const phone = toE164(contact.phone, { checkCountry: false });
		if (!phone.ok) continue;
		found.set(phone.e164, [...(found.get(phone.e164) ?? []), contact]);
	}
	wholeList.add(found);
}

/**
 * Adds the contacts of the `phones` not yet in `found`: one search per PAGE_SIZE_MAX phones
 * [assumed body]; where Lynkist refuses it, the whole contact list, read once per run.
 */
export async function findByPhones(this: IExecuteFunctions, phones: Iterable<string>, found: ContactsByPhone = new Map()) {
	const missing = [...new Set(phones)].filter((p) => !found.has(p));
	if (wholeList.has(found)) {
		for (const phone of missing) found.set(phone, []);
		return found;
	}
	for (let start = 0; start < missing.length; start += PAGE_SIZE_MAX) {
		const chunk = missing.slice(start, start + PAGE_SIZE_MAX);
		let contacts: IDataObject[];
		try {
			contacts = await lynkistPaginate.call(this, CONTACT_API.searchPath, Infinity, {}, undefined, { body: { phones: chunk } });
		} catch (error) {
			if (!REFUSED.includes(refusedStatus(error))) throw new NodeApiError(this.getNode(), error as JsonObject);
			await readWholeList.call(this, found, missing);
			return found;
		}
		for (const phone of chunk) found.set(phone, []);
		for (const contact of contacts) found.get(String(contact.phone))?.push(contact);
	}
	return found;
}

/** One bulk request; → each item's result, or undefined when Lynkist refuses the bulk body. */
async function bulk(this: IExecuteFunctions, chunk: ContactToSave[]): Promise<Map<number, SaveResult> | undefined> {
	const { status, body } = (await lynkistRequest.call(
		this,
		{
			method: 'POST',
			path: CONTACT_API.bulkPath,
			body: { contacts: chunk.map((p) => p.body), upsert_by: CONTACT_API.upsertBy },
			idempotent: true,
		},
		{ answerStatuses: REFUSED },
	)) as LynkistResponse<{ data?: IDataObject[] }>;
	if (REFUSED.includes(status) || !Array.isArray(body?.data) || body.data.length !== chunk.length) return undefined;
	const results = new Map<number, SaveResult>();
	for (const entry of body.data) {
		const pending = chunk[Number(entry.index)];
		if (!pending) return undefined;
		if (entry.status === 'failed') {
			const detail = Array.isArray(entry.detail) ? (entry.detail as IDataObject[]) : [];
			const problems = detail.map((d) => `${(d.loc as unknown[] | undefined)?.at(-1) ?? 'contact'}: ${String(d.msg)}`).join('; ');
			results.set(pending.itemIndex, new Error(`Lynkist refused the contact of item ${pending.itemIndex + 1}: ${problems}`));
		} else {
			results.set(pending.itemIndex, { ...(entry.contact as IDataObject), action: entry.status });
		}
	}
	return results;
}

/**
 * The chunk one by one: a PATCH of the contact with its phone, or a POST for a new one, up to
 * ONE_BY_ONE_AT_ONCE requests in flight. Items with the same phone go one after the other: the
 * first may create the contact the next one updates.
 */
async function oneByOne(this: IExecuteFunctions, chunk: ContactToSave[], found: ContactsByPhone): Promise<Map<number, SaveResult>> {
	await findByPhones.call(
		this,
		chunk.map((p) => String(p.body.phone)),
		found,
	);
	const results = new Map<number, SaveResult>();
	const saveOne = async ({ itemIndex, body: contact }: ContactToSave) => {
		try {
			const phone = String(contact.phone);
			const id = found.get(phone)?.[0]?.id as string | undefined;
			const { body: saved } = (await lynkistRequest.call(
				this,
				id
					? { method: 'PATCH', path: `/contacts/${encodeURIComponent(id)}`, body: contact }
					: { method: 'POST', path: '/contacts', body: contact, idempotent: false },
				{ itemIndex },
			)) as LynkistResponse<IDataObject>;
			if (!id) found.set(phone, [saved]);
			results.set(itemIndex, { ...saved, action: id ? 'updated' : 'created' });
		} catch (error) {
			results.set(itemIndex, error as Error);
		}
	};
	const samePhone = new Map<string, ContactToSave[]>();
	for (const entry of chunk) {
		const phone = String(entry.body.phone);
		samePhone.set(phone, [...(samePhone.get(phone) ?? []), entry]);
	}
	const queues = [...samePhone.values()];
	let next = 0;
	const worker = async () => {
		while (next < queues.length) for (const entry of queues[next++]) await saveOne(entry);
	};
	await Promise.all(Array.from({ length: Math.min(ONE_BY_ONE_AT_ONCE, queues.length) }, worker));
	return results;
}

/**
 * Before the first contact is saved one by one: the error for the contacts still to go when what
 * they need (a request each, and the searches for phones not looked up yet) is more than what is
 * left of today's budget. Undefined when they fit, or when no answer has said what is left.
 */
async function overBudget(this: IExecuteFunctions, rest: ContactToSave[], found: ContactsByPhone): Promise<Error | undefined> {
	const unlooked = wholeList.has(found) ? [] : rest.map((c) => String(c.body.phone)).filter((p) => !found.has(p));
	const over = shortfall(oneByOneRequests(rest.length, new Set(unlooked).size), await remainingToday.call(this), Date.now());
	if (!over) return undefined;
	const itemIndexes = rest.map((c) => c.itemIndex);
	const { message, description } = shortfallWords(over, itemIndexes);
	const error = new NodeOperationError(this.getNode(), message, { itemIndex: itemIndexes[0], description });
	const { needed, remaining, resetAt } = over;
	error.context = { ...error.context, detail: 'daily budget too small', needed, remaining, resetsAt: new Date(resetAt).toISOString() };
	return error;
}

/**
 * Creates or updates the contact with each body's phone. Where a body gives custom fields, the
 * contact's others are kept, and given tags are added to its own unless they replace them (the
 * contact looked up first, unless `found` already has the phone). Every item gets its result: a
 * request that fails as a whole (a missing scope, a limit or outage retries did not get past)
 * fails its items and those not yet sent, each with that error, and nothing more is sent; so do
 * the contacts still to go when Lynkist refuses the bulk body and today's budget cannot hold them
 * one by one (checked before the first of them is sent).
 */
export async function saveByPhone(
	this: IExecuteFunctions,
	contacts: ContactToSave[],
	found: ContactsByPhone = new Map(),
): Promise<Map<number, SaveResult>> {
	const results = new Map<number, SaveResult>();
	const failRest = (from: number, error: Error) => {
		for (const { itemIndex } of contacts.slice(from)) results.set(itemIndex, error);
		return results;
	};
	try {
		await findByPhones.call(
			this,
			contacts.filter(needsExisting).map((c) => String(c.body.phone)),
			found,
		);
	} catch (error) {
		return failRest(0, error as Error);
	}
	const merged = contacts.map((c) => ({ ...c, body: mergedWithContact(c, found.get(String(c.body.phone))?.[0]) }));
	let bulkRefused = false;
	for (let start = 0; start < merged.length; start += CONTACT_API.bulkMax) {
		const chunk = merged.slice(start, start + CONTACT_API.bulkMax);
		let saved: Map<number, SaveResult> | undefined;
		try {
			if (!bulkRefused) {
				saved = await bulk.call(this, chunk);
				bulkRefused = !saved;
				const over = bulkRefused && (await overBudget.call(this, merged.slice(start), found));
				if (over) return failRest(start, over);
			}
			saved ??= await oneByOne.call(this, chunk, found);
		} catch (error) {
			return failRest(start, error as Error);
		}
		for (const [itemIndex, result] of saved) results.set(itemIndex, result);
	}
	return results;
}
