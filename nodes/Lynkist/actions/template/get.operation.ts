import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LynkistResponse } from '../../../shared/transport';
import { lynkistRequest } from '../../../shared/transport';
import { templateLocator } from '../templateLocator';

const show = { resource: ['template'], operation: ['get'] };

export const description: INodeProperties[] = [
	templateLocator(show, 'The approved template to read: pick it from the list (search by name) or give its ID'),
];

/** Reads one approved template. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const id = String(this.getNodeParameter('template', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'Template is empty', {
			itemIndex,
			description: 'Pick a template from the list, or give its ID (e.g. map the "id" field of a Get Many output).',
		});
	}
	const { body } = (await lynkistRequest.call(
		this,
		{ method: 'GET', path: `/templates/${encodeURIComponent(id)}` },
		{
			itemIndex,
			explain: {
				404: {
					message: `Template ${id} not found or not approved yet`,
					description:
						"Lynkist shows approved templates only: a draft, pending, rejected or disabled template answers not found. Check the ID, or the template's status in the Lynkist dashboard.",
				},
			},
		},
	)) as LynkistResponse<IDataObject>;
	return [{ json: body, pairedItem: { item: itemIndex } }];
}
