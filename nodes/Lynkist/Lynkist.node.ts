import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as contact from './actions/contact';
import * as message from './actions/message';
import { router } from './actions/router';
import { toolDescription } from './actions/toolDescription';
import * as template from './actions/template';
import { getTemplateVariables } from './methods/resourceMapping';
import { listSearch } from './methods/listSearch';

export class Lynkist implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Lynkist',
		name: 'lynkist',
		icon: { light: 'file:../../icons/lynkist.svg', dark: 'file:../../icons/lynkist.dark.svg' },
		group: ['output'],
		version: 1,
		// The operation as people say it, and the template a send uses.
		subtitle:
			'={{ ($parameter["resource"] === "contact" ? { create: "Create contact", upsert: "Create or update contact", get: "Get contact", getAll: "Get many contacts", update: "Update contact", delete: "Delete contact" } : { sendTemplate: "Send template", sendAndWait: "Send and wait for reply", create: "Create template", submit: "Submit template", get: "Get template", getAll: "Get many templates" })[$parameter["operation"]] + (["sendTemplate", "sendAndWait"].includes($parameter["operation"]) && $parameter["template"] && $parameter["template"].cachedResultName ? ": " + $parameter["template"].cachedResultName.split(" · ")[0] : "") }}',
		description: 'Send WhatsApp template messages, manage templates and keep contacts with Lynkist',
		defaults: { name: 'Lynkist' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'lynkistApi', required: true }],
		// Send and Wait for Reply: the waiting execution's resume URL, and the node's reply endpoint.
		webhooks: message.sendAndWaitWebhooks,
		properties: [
			// On the AI Agent tool only, first as n8n places its own.
			...toolDescription,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Message', value: 'message' },
					{ name: 'Template', value: 'template' },
				],
				default: 'message',
			},
			...message.description,
			...template.description,
			...contact.description,
		],
	};

	/** A published Send and Wait node's reply endpoint at Lynkist (one per node, for all its waits). */
	webhookMethods = { [message.REPLY_WEBHOOK]: message.replyWebhookMethods };

	methods = {
		listSearch,
		resourceMapping: { getTemplateVariables },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return message.sendAndWait.webhook.call(this);
	}
}
