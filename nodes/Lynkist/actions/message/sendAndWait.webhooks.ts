/**
 * The webhooks of Send and Wait for Reply: the resume webhook, which n8n serves at the waiting
 * execution's signed `/webhook-waiting/<execution>/<node>` URL (only while it waits), and the
 * node's reply endpoint, registered when the workflow is published.
 */
import type { IWebhookDescription } from 'n8n-workflow';

import { replyWebhook } from './replyEndpoint';

export const sendAndWaitWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		responseMode: 'onReceived',
		responseData: '',
		path: '={{ $nodeId }}',
		restartWebhook: true,
		isFullPath: true,
	},
	{ ...replyWebhook },
];
