import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LynkistResponse } from '../../../shared/transport';
import { lynkistRequest } from '../../../shared/transport';
import type { RunState } from '../types';
import { contactFields } from './fields';
import { contactInput } from './input';

const show = { resource: ['contact'], operation: ['create'] };

export const description: INodeProperties[] = [
	{ displayName: 'First Name', name: 'first_name', type: 'string', required: true, default: '', displayOptions: { show } },
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '+91 99999 99999',
		displayOptions: { show },
		description: 'With its country code, written as people write it; it is stored as E.164',
	},
	contactFields('additionalFields', 'Additional Fields', show),
];

/** Every item is checked before the first request. */
export async function prepare(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<IDataObject> {
	return contactInput(this, itemIndex, run, { top: ['first_name', 'phone'], collection: 'additionalFields', requireFirstName: true }).body;
}

/** Creates one contact per item (Lynkist makes a second one for a phone it has: use Create or Update for that). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_run: unknown,
	body?: IDataObject,
): Promise<INodeExecutionData[]> {
	const { body: created } = (await lynkistRequest.call(
		this,
		{ method: 'POST', path: '/contacts', body },
		{ itemIndex },
	)) as LynkistResponse<IDataObject>;
	return [{ json: created, pairedItem: { item: itemIndex } }];
}
