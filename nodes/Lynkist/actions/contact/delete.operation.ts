import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { lynkistRequest } from '../../../shared/transport';
import { contactLocator } from './fields';
import { contactId, contactNotFound } from './input';

const show = { resource: ['contact'], operation: ['delete'] };

export const description: INodeProperties[] = [contactLocator(show)];

/** Deletes (Lynkist archives) the contact. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = contactId(this, itemIndex);
	await lynkistRequest.call(
		this,
		{ method: 'DELETE', path: `/contacts/${encodeURIComponent(id)}` },
		{ itemIndex, explain: contactNotFound(id) },
	);
	return [{ json: { id, deleted: true }, pairedItem: { item: itemIndex } }];
}
