import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { simplifyContact } from '../../helpers/contacts';
import { lynkistPaginate } from '../../../shared/transport';
import { pagingFields } from '../pagingFields';

const show = { resource: ['contact'], operation: ['getAll'] };

export const description: INodeProperties[] = [
	...pagingFields(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: 'Search',
				name: 'search',
				type: 'string',
				default: '',
				description: 'Only contacts whose first or last name, email or company contains this text',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'string',
				default: '',
				placeholder: 'customer',
				description: 'Only contacts with exactly this status',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		displayOptions: { show },
		default: false,
		description: 'Whether to return only the ID, names, phone, email, status and tags of each contact',
	},
];

/** Lists contacts, one output item per contact. */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex) as boolean;
	const max = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { search?: string; status?: string };
	const simplify = this.getNodeParameter('simplify', itemIndex, false) as boolean;
	const query: IDataObject = {};
	if (filters.search?.trim()) query.search = filters.search.trim();
	if (filters.status?.trim()) query.status = filters.status.trim();
	const contacts = await lynkistPaginate.call(this, '/contacts', max, { itemIndex }, undefined, { query });
	return contacts.map((contact) => ({ json: simplify ? simplifyContact(contact) : contact, pairedItem: { item: itemIndex } }));
}
