import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { LynkistResponse } from '../../../shared/transport';
import { lynkistRequest } from '../../../shared/transport';
import { contactLocator } from './fields';
import { contactId, contactNotFound } from './input';

const show = { resource: ['contact'], operation: ['get'] };

export const description: INodeProperties[] = [contactLocator(show)];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = contactId(this, itemIndex);
	const { body } = (await lynkistRequest.call(
		this,
		{ method: 'GET', path: `/contacts/${encodeURIComponent(id)}` },
		{ itemIndex, explain: contactNotFound(id) },
	)) as LynkistResponse<IDataObject>;
	return [{ json: body, pairedItem: { item: itemIndex } }];
}
