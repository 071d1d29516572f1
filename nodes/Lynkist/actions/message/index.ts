import type { INodeProperties } from 'n8n-workflow';

import * as sendTemplate from './sendTemplate.operation';

export { sendTemplate };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send Template',
				value: 'sendTemplate',
				description: 'Send an approved WhatsApp template message to one number per item',
				action: 'Send a template message',
			},
		],
		default: 'sendTemplate',
	},
	...sendTemplate.description,
];
