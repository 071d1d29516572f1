/**
 * Contact → Create or Update: the contact with the item's phone is updated, or created. Every item
 * is checked first; then the items go to Lynkist in as few requests as it allows — `POST
 * /contacts/bulk` with `upsert_by: phone`, up to CONTACT_API.bulkMax at a time [assumed] — and,
 * when Lynkist refuses the bulk request, one by one: a search by the chunk's phones, then a PATCH
 * or a POST per item. Upserting by phone is safe to repeat, so a lost answer is asked again.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CONTACT_API, PAGE_SIZE_MAX } from '../../helpers/constants';
import { forItem } from '../../helpers/errors';
import type { LynkistResponse } from '../../transport';
import { lynkistRequest } from '../../transport';
import { contactFields } from './fields';
import { contactInput } from './input';

const show = { resource: ['contact'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+91 99999 99999',
		displayOptions: { show },
		description: 'Finds the contact: with its country code, written as people write it (compared as E.164)',
	},
	{
		displayName: 'First Name',
		name: 'first_name',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show },
		description: 'Needed when the contact is new; an existing contact gets it too',
	},
	contactFields('additionalFields', 'Additional Fields', show),
];

interface Pending {
	itemIndex: number;
	body: IDataObject;
}

/** Statuses with which Lynkist says it has no bulk endpoint, or does not take this body. */
const BULK_REFUSED = [404, 405, 400, 422];

function output(itemIndex: number, json: IDataObject): INodeExecutionData[] {
	return [{ json, pairedItem: { item: itemIndex } }];
}

/** One bulk request; → each item's output, or undefined when Lynkist refuses the bulk body. */
async function bulk(this: IExecuteFunctions, chunk: Pending[]): Promise<Map<number, IDataObject | Error> | undefined> {
	const { status, body } = (await lynkistRequest.call(
		this,
		{
			method: 'POST',
			path: CONTACT_API.bulkPath,
			body: { contacts: chunk.map((p) => p.body), upsert_by: CONTACT_API.upsertBy },
			idempotent: true,
		},
		{ answerStatuses: BULK_REFUSED },
	)) as LynkistResponse<{ data?: IDataObject[] }>;
	if (BULK_REFUSED.includes(status) || !Array.isArray(body?.data) || body.data.length !== chunk.length) return undefined;
	const results = new Map<number, IDataObject | Error>();
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

/** The chunk one by one: the contacts with its phones found in one search, then a PATCH or a POST each. */
async function oneByOne(this: IExecuteFunctions, chunk: Pending[]): Promise<Map<number, IDataObject | Error>> {
	const byPhone = new Map<string, string>();
	for (let start = 0; start < chunk.length; start += PAGE_SIZE_MAX) {
		const phones = chunk.slice(start, start + PAGE_SIZE_MAX).map((p) => String(p.body.phone));
		const { body } = (await lynkistRequest.call(this, {
			method: 'POST',
			path: CONTACT_API.searchPath,
			body: { phones, limit: PAGE_SIZE_MAX },
			idempotent: true,
		})) as LynkistResponse<{ data?: IDataObject[] }>;
		for (const contact of body.data ?? []) byPhone.set(String(contact.phone), String(contact.id));
	}
	const results = new Map<number, IDataObject | Error>();
	for (const { itemIndex, body: contact } of chunk) {
		try {
			const id = byPhone.get(String(contact.phone));
			const { body: saved } = (await lynkistRequest.call(
				this,
				id
					? { method: 'PATCH', path: `/contacts/${encodeURIComponent(id)}`, body: contact }
					: { method: 'POST', path: '/contacts', body: contact, idempotent: false },
				{ itemIndex },
			)) as LynkistResponse<IDataObject>;
			if (!id) byPhone.set(String(contact.phone), String(saved.id));
			results.set(itemIndex, { ...saved, action: id ? 'updated' : 'created' });
		} catch (error) {
			results.set(itemIndex, error as Error);
		}
	}
	return results;
}

export async function run(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const out: INodeExecutionData[][] = new Array(items.length);
	const pending: Pending[] = [];
	const failItem = (itemIndex: number, error: Error) => {
		const wrapped =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? forItem(error, itemIndex)
				: new NodeOperationError(this.getNode(), error.message, { itemIndex });
		if (!this.continueOnFail()) throw wrapped;
		out[itemIndex] = output(itemIndex, { error: wrapped.message, description: wrapped.description ?? undefined });
	};
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const body = contactInput(this, itemIndex, { top: ['first_name', 'phone'], collection: 'additionalFields', requireFirstName: true });
			if (!body.phone)
				throw new NodeOperationError(
					this.getNode(),
					`"Phone" of item ${itemIndex + 1} is empty: Create or Update finds the contact by its phone`,
					{ itemIndex },
				);
			pending.push({ itemIndex, body });
		} catch (error) {
			failItem(itemIndex, error as Error);
		}
	}
	let bulkRefused = false;
	for (let start = 0; start < pending.length; start += CONTACT_API.bulkMax) {
		const chunk = pending.slice(start, start + CONTACT_API.bulkMax);
		const results = (!bulkRefused && (await bulk.call(this, chunk))) || undefined;
		if (!results) bulkRefused = true;
		for (const [itemIndex, result] of results ?? (await oneByOne.call(this, chunk))) {
			if (result instanceof Error) failItem(itemIndex, result);
			else out[itemIndex] = output(itemIndex, result);
		}
	}
	return [out.flat()];
}
