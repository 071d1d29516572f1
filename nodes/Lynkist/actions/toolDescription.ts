/**
 * What an AI Agent's model reads about the node used as its tool: one description per operation,
 * shown only on the tool (n8n's `@tool` display option) and editable there. n8n's own fallback
 * ("Send a template message in Lynkist") tells a model neither what to pass nor what comes back.
 */
import type { INodeProperties } from 'n8n-workflow';

const DESCRIPTIONS: Record<string, Record<string, string>> = {
	message: {
		sendTemplate:
			'Sends one approved WhatsApp template message through Lynkist to one customer. Give the phone number with its country code (+15550100100) and a value for every template variable. Answers with the messageId. Calling again with the same values sends nothing new: the answer says replayed: true. An answer with skipped means the customer opted out: do not retry. An error says what to fix (the number, the template name, a variable with no value).',
		sendAndWait:
			'Sends one approved WhatsApp template message to one customer and waits for their reply, which it returns. Give the phone number with its country code and a value for every template variable. It returns only once the customer answers or the time limit passes (timedOut: true).',
	},
	template: {
		create:
			"Creates a WhatsApp message template at Lynkist as a draft: its name (lowercase, underscores), language, category and text. Answers with the template and its ID; it still needs Submit and Meta's approval before it can be sent.",
		submit: "Submits a draft template, by its ID, for Meta's approval. Answers with its review status.",
		get: 'Gets one approved WhatsApp template by its ID: name, language, category and text with its {{1}} variables.',
		getAll:
			'Lists the approved WhatsApp templates at Lynkist with their names, languages and text. Use it to find the name of a template to send and the variables it needs.',
	},
	contact: {
		create:
			'Creates a Lynkist contact: phone number with country code, names, email, tags and custom fields. Fails if the number already has a contact.',
		upsert: 'Creates the Lynkist contact for a phone number, or updates it if the number has one. Custom fields not given are kept.',
		get: 'Gets one Lynkist contact by its ID: phone number, names, email, tags, custom fields, status.',
		getAll: 'Lists Lynkist contacts, optionally filtered by a search text, status or tags.',
		update: "Changes a Lynkist contact's fields. Fields not given are kept.",
		delete: 'Deletes (archives) a Lynkist contact.',
	},
};

export const toolDescription: INodeProperties[] = Object.entries(DESCRIPTIONS).flatMap(([resource, operations]) =>
	Object.entries(operations).map(([operation, text]): INodeProperties => ({
		displayName: 'Tool Description',
		name: 'toolDescription',
		type: 'string',
		typeOptions: { rows: 3 },
		default: text,
		displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
		description: "What the AI Agent's model reads about this tool. Say which template to send and when, if it is not obvious.",
	})),
);
