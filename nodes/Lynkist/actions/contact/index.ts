import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteContact from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';
import * as upsert from './upsert.operation';

export { create, deleteContact, get, getAll, update, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Add a new contact', action: 'Create a contact' },
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a contact',
			},
			{ name: 'Delete', value: 'delete', description: 'Delete (archive) a contact', action: 'Delete a contact' },
			{ name: 'Get', value: 'get', description: 'Get one contact', action: 'Get a contact' },
			{ name: 'Get Many', value: 'getAll', description: 'List contacts, with search and status filters', action: 'Get many contacts' },
			{ name: 'Update', value: 'update', description: "Change a contact's fields", action: 'Update a contact' },
		],
		default: 'upsert',
	},
	...create.description,
	...upsert.description,
	...get.description,
	...getAll.description,
	...update.description,
	...deleteContact.description,
];
