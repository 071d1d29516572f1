import type { INodeProperties } from 'n8n-workflow';

import * as sendAndWait from './sendAndWait.operation';
import * as sendTemplate from './sendTemplate.operation';

export { sendAndWait, sendTemplate };
export { sendAndWaitWebhooks } from './sendAndWait.webhooks';
export { REPLY_WEBHOOK, replyWebhookMethods } from './replyEndpoint';

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
			{
				name: 'Send and Wait for Reply',
				value: 'sendAndWait',
				description: 'Send an approved template to one recipient and wait for their answer on WhatsApp: a button tap or a text',
				action: 'Send a template and wait for the reply',
			},
		],
		default: 'sendTemplate',
	},
	...sendTemplate.description,
	...sendAndWait.description,
];
