import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as submit from './submit.operation';

export { create, get, getAll, submit };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a draft template, checked the way Meta checks it, optionally submitted for review',
				action: 'Create a template',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one approved template',
				action: 'Get a template',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List approved templates, newest first',
				action: 'Get many templates',
			},
			{
				name: 'Submit',
				value: 'submit',
				description: "Submit a draft template for Meta's review, optionally waiting for approval",
				action: 'Submit a template for approval',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...submit.description,
	...get.description,
	...getAll.description,
];
