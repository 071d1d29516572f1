import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { type ContactSave, mergedWithContact, needsExisting } from '../../helpers/contacts';
import type { LynkistResponse } from '../../../shared/transport';
import { lynkistRequest } from '../../../shared/transport';
import type { RunState } from '../types';
import { contactFields, contactLocator } from './fields';
import { contactId, contactInput, contactNotFound } from './input';

const show = { resource: ['contact'], operation: ['update'] };

export const description: INodeProperties[] = [
	contactLocator(show),
	contactFields('updateFields', 'Update Fields', show, ['first_name', 'phone'], { merging: true }),
];

export async function prepare(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<{ id: string; save: ContactSave }> {
	const save = contactInput(this, itemIndex, run, { collection: 'updateFields', requireFirstName: false });
	if (Object.keys(save.body).length === 0) {
		throw new NodeOperationError(this.getNode(), `Item ${itemIndex + 1} has no field to update`, {
			itemIndex,
			description: 'Add at least one field under Update Fields.',
		});
	}
	return { id: contactId(this, itemIndex), save };
}

/** Changes only the fields given; given custom fields and tags are added to the contact's (read first), tags unless they replace them. */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_run: unknown,
	prepared?: { id: string; save: ContactSave },
): Promise<INodeExecutionData[]> {
	const { id, save } = prepared!;
	let { body } = save;
	if (needsExisting(save)) {
		const { body: current } = (await lynkistRequest.call(
			this,
			{ method: 'GET', path: `/contacts/${encodeURIComponent(id)}` },
			{ itemIndex, explain: contactNotFound(id) },
		)) as LynkistResponse<IDataObject>;
		body = mergedWithContact(save, current);
	}
	const { body: updated } = (await lynkistRequest.call(
		this,
		{ method: 'PATCH', path: `/contacts/${encodeURIComponent(id)}`, body, idempotent: true },
		{ itemIndex, explain: contactNotFound(id) },
	)) as LynkistResponse<IDataObject>;
	return [{ json: updated, pairedItem: { item: itemIndex } }];
}
