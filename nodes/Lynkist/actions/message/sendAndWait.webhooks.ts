/**
 * The resume webhook of Send and Wait for Reply: n8n serves it at the waiting execution's signed
 * `/webhook-waiting/<execution>/<node>` URL (only while it waits; never as a production webhook).
 */
import type { IWebhookDescription } from 'n8n-workflow';

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
];
