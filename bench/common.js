'use strict';
/** What every benchmark needs besides n8n: the sandbox's control surface, and a main that exits non-zero on failure. */
const crypto = require('node:crypto');

/** Calls the sandbox's control surface; throws on an error answer. */
async function control(sandbox, method, urlPath, body) {
	const response = await fetch(`${sandbox.controlUrl}${urlPath}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`sandbox control ${method} ${urlPath}: ${response.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/** Runs a benchmark's main: its error is printed and the process exits 1. */
function run(main) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}

/**
 * The parameters and credential of a Send Template node sending `t`'s template (by ID) to
 * `$json.phone` with `values` for its variable fields: what every benchmark's node is made of.
 */
function sendTemplateParts(t, values, options = {}) {
	return {
		parameters: {
			resource: 'message',
			operation: 'sendTemplate',
			to: '={{ $json.phone }}',
			template: { __rl: true, mode: 'id', value: t.templateId },
			variablesMode: 'fields',
			variables: { mappingMode: 'defineBelow', value: values, matchingColumns: [], schema: [] },
			options,
		},
		credentials: { lynkistApi: { id: t.credential.id, name: t.credential.name } },
	};
}

/** order_confirmation's variable fields, from `{ name, order }` items and a fixed total. */
const orderValues = (total) => ({
	header_1: '={{ $json.order }}',
	body_1: '={{ $json.name }}',
	body_2: '={{ $json.order }}',
	body_3: total,
	button_0_url: '={{ $json.order }}',
});

let nodeSeq = 0;

/** A workflow node as n8n imports it; ids are unique within the process, positions laid left to right. */
const nodeOf = (name, type, typeVersion, parameters, extra = {}) => ({
	id: `n${++nodeSeq}`,
	name,
	type,
	typeVersion,
	position: [220 * nodeSeq, 0],
	parameters,
	...extra,
});

/** Manual Trigger → a Code node "Customers" running `jsCode` → `last`, renamed `lastName`: a bench's workflow. */
function customersWorkflow(name, jsCode, last, lastName) {
	const start = nodeOf('Start', 'n8n-nodes-base.manualTrigger', 1, {});
	const code = nodeOf('Customers', 'n8n-nodes-base.code', 2, { jsCode });
	last.name = lastName;
	return {
		id: `bench${crypto.randomBytes(6).toString('hex')}`.slice(0, 16),
		name: `bench: ${name}`,
		active: false,
		nodes: [start, code, last],
		connections: {
			Start: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
			Customers: { main: [[{ node: lastName, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Runs a bench workflow once: its time, the runs n8n recorded of `nodeName` (the last one's
 * output items), and how many of them failed (all `count`, when the node stopped without output).
 */
async function runOnce(n8n, workflowId, nodeName, count, timeoutMs) {
	const started = Date.now();
	const execution = await n8n.run(workflowId, { timeoutMs });
	const runMs = Date.now() - started;
	const runs = execution.runData[nodeName] ?? [];
	const last = runs.at(-1);
	const items = last?.data?.main?.[0] ?? [];
	const nodeError = last?.error ?? execution.error();
	const failed = nodeError && items.length === 0 ? count : items.filter((i) => i.json.error).length;
	return { runMs, runs, last, items, failed, nodeError };
}

module.exports = { control, customersWorkflow, runOnce, nodeOf, run, sendTemplateParts, orderValues };
