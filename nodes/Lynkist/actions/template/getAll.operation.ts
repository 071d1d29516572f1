import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { lynkistPaginate } from '../../transport';
import type { RunState } from '../router';

const show = { resource: ['template'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		displayOptions: { show: { ...show, returnAll: [false] } },
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
	},
];

/** Lists approved templates, newest first, one output item per template. */
export async function execute(this: IExecuteFunctions, itemIndex: number, run: RunState): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const max = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const templates = await lynkistPaginate.call(this, '/templates', max, { itemIndex, gate: run.gate });
	return templates.map((json: IDataObject) => ({ json, pairedItem: { item: itemIndex } }));
}
