/** Builds workflow JSON for the e2e tests: a Manual Trigger followed by the nodes under test. */
import { randomBytes, randomUUID } from 'node:crypto';

export interface NodeJson {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
}

export interface WorkflowJson {
	id: string;
	name: string;
	active: boolean;
	nodes: NodeJson[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Record<string, unknown>;
}

export const TRIGGER = 'Start';
export const PACKAGE = 'n8n-nodes-lynkist';

export function id(length = 16): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

/** A node of this package wired to the given credential. */
export function lynkistNode(
	name: string,
	parameters: Record<string, unknown>,
	credential: { id: string; name: string },
	extra: Partial<NodeJson> = {},
): NodeJson {
	return {
		id: id(),
		name,
		type: `${PACKAGE}.lynkist`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { lynkistApi: { id: credential.id, name: credential.name } },
		...extra,
	};
}

/** The variable fields of the order_confirmation template, mapped from `{ name, order, total }` items. */
export const ORDER_VARIABLES = {
	mappingMode: 'defineBelow',
	value: {
		header_1: '={{ $json.order }}',
		body_1: '={{ $json.name }}',
		body_2: '={{ $json.order }}',
		body_3: '={{ $json.total }}',
		button_0_url: '={{ $json.order }}',
	},
	matchingColumns: [],
	schema: [],
};

/** A Send Template node named "Send": to `$json.phone`, the template by ID, order_confirmation's fields unless `params` says otherwise. */
export function sendTemplateNode(
	credential: { id: string; name: string },
	templateId: string,
	params: Record<string, unknown> = {},
	extra: Partial<NodeJson> = {},
): NodeJson {
	return lynkistNode(
		'Send',
		{
			resource: 'message',
			operation: 'sendTemplate',
			to: '={{ $json.phone }}',
			template: { __rl: true, mode: 'id', value: templateId },
			variablesMode: 'fields',
			variables: ORDER_VARIABLES,
			...params,
		},
		credential,
		extra,
	);
}

/** Any n8n node, e.g. a Code node that makes input items. */
export function node(name: string, type: string, parameters: Record<string, unknown>, typeVersion = 1): NodeJson {
	return { id: id(), name, type, typeVersion, position: [0, 0], parameters };
}

/**
 * A workflow whose Manual Trigger feeds `chains`: each chain is a list of nodes run one after
 * the other; separate chains all start from the trigger.
 */
export function manualWorkflow(name: string, ...chains: NodeJson[][]): WorkflowJson {
	const trigger = node(TRIGGER, 'n8n-nodes-base.manualTrigger', {});
	const connections: WorkflowJson['connections'] = {};
	const link = (from: string, to: string) => {
		connections[from] ??= { main: [[]] };
		connections[from].main[0].push({ node: to, type: 'main', index: 0 });
	};
	const nodes = [trigger];
	chains.forEach((chain, row) => {
		chain.forEach((n, col) => {
			n.position = [220 * (col + 1), 160 * row];
			link(col === 0 ? TRIGGER : chain[col - 1].name, n.name);
			nodes.push(n);
		});
	});
	return { id: id(), name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A Code node that outputs the items its JavaScript returns. */
export function codeNode(name: string, jsCode: string): NodeJson {
	return node(name, 'n8n-nodes-base.code', { jsCode }, 2);
}

/** A Lynkist Trigger node; n8n serves it at `/webhook/<webhookId>/webhook`. */
export function lynkistTriggerNode(name: string, parameters: Record<string, unknown>, credential: { id: string; name: string }): NodeJson {
	const webhookId = randomUUID();
	return lynkistNode(name, parameters, credential, { type: `${PACKAGE}.lynkistTrigger`, typeVersion: 1.1, webhookId });
}

/** A workflow that is one trigger node (what it outputs is the execution's result). */
export function triggerWorkflow(name: string, trigger: NodeJson): WorkflowJson {
	return { id: id(), name, active: false, nodes: [trigger], connections: {}, settings: { executionOrder: 'v1' } };
}

/** A workflow started by n8n's own Webhook node (answering at once), then the chain. */
export function webhookWorkflow(name: string, path: string, chain: NodeJson[], hookName = 'Order webhook'): WorkflowJson {
	const hook = {
		...node(hookName, 'n8n-nodes-base.webhook', { httpMethod: 'POST', path, responseMode: 'onReceived' }, 2),
		webhookId: randomUUID(),
	};
	const nodes = [hook, ...chain];
	const connections: WorkflowJson['connections'] = {};
	nodes.slice(0, -1).forEach((from, i) => {
		connections[from.name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	});
	nodes.forEach((n, i) => (n.position = [220 * i, 0]));
	return { id: id(), name, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A resource locator's value, as the editor saves it. */
export const rl = (value: string, mode = 'list') => ({ __rl: true, mode, value });

/** A Template → Create node's parameters: a valid builder template named `name`, changed by `params`. */
export const createParams = (name: string, params: Record<string, unknown> = {}) => ({
	resource: 'template',
	operation: 'create',
	templateName: name,
	language: rl('en_US'),
	category: 'UTILITY',
	componentsMode: 'builder',
	headerType: 'none',
	bodyText: 'Hi {{1}}, your order {{2}} has shipped.',
	bodyExamples: { example: [{ value: 'Ana' }, { value: '1042' }] },
	...params,
});
