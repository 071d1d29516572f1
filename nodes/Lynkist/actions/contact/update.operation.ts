import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { keptCustomFields } from '../../helpers/contacts';
import type { LynkistResponse } from '../../transport';
import { lynkistRequest } from '../../transport';
import type { RunState } from '../types';
import { contactFields, contactLocator } from './fields';
import { contactId, contactInput, contactNotFound } from './input';

const show = { resource: ['contact'], operation: ['update'] };

export const description: INodeProperties[] = [
	contactLocator(show),
	contactFields('updateFields', 'Update Fields', show, ['first_name', 'phone']),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<{ id: string; body: IDataObject }> {
	const body = contactInput(this, itemIndex, run, { collection: 'updateFields', requireFirstName: false });
	if (Object.keys(body).length === 0) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1} has no field to update`, {
			itemIndex,
			description: 'Add at least one field under Update Fields.',
		});
	}
	return { id: contactId(this, itemIndex), body };
}

/** Changes only the fields given; given custom fields are added to the contact's others (read first). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_run: unknown,
	prepared?: { id: string; body: IDataObject },
): Promise<INodeExecutionData[]> {
	const { id } = prepared!;
	let { body } = prepared!;
	if (body.custom_fields !== undefined) {
		const { body: current } = (await lynkistRequest.call(
			this,
			{ method: 'GET', path: `/contacts/${encodeURIComponent(id)}` },
			{ itemIndex, explain: contactNotFound(id) },
		)) as LynkistResponse<IDataObject>;
		body = keptCustomFields(body, current);
	}
	const { body: updated } = (await lynkistRequest.call(
		this,
		{ method: 'PATCH', path: `/contacts/${encodeURIComponent(id)}`, body, idempotent: true },
		{ itemIndex, explain: contactNotFound(id) },
	)) as LynkistResponse<IDataObject>;
	return [{ json: updated, pairedItem: { item: itemIndex } }];
}
