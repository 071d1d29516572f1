/**
 * The Send Template node in n8n's own editor, in Chromium: the shipped example opens readable,
 * and the generated variable fields follow the chosen template. Screenshots of each panel go to
 * .e2e/editor/.
 */
import { resolve } from 'node:path';
import type { Locator } from 'playwright-core';

import { exampleCredential, exampleWorkflows } from '../../scripts/examples';
import { createN8n, Editor, N8n, WorkflowJson } from './harness';
import { Sandbox, SEED_TEMPLATE_IDS, startSandbox } from './harness/sandbox';

const NODE = 'Send order confirmation';
const SHOTS = resolve(__dirname, '../../.e2e/editor');

const ORDER_CONFIRMATION = 'order_confirmation · en_US · UTILITY';
const ORDER_FIELDS = ['Header {{1}}', 'Body {{1}}', 'Body {{2}}', 'Body {{3}}', 'Button 1 URL suffix'];
const SHIPPING_UPDATE = 'shipping_update · en_US · UTILITY';
const SHIPPING_FIELDS = ['Body {{1}}', 'Body {{2}}'];

let editor: Editor;
let sandbox: Sandbox;
let n8n: N8n;
let example: WorkflowJson;
let leftOver: WorkflowJson;

beforeAll(async () => {
	// First, so that a machine without Chromium fails in a second, saying how to install it.
	editor = await Editor.launch();
	sandbox = await startSandbox({ port: 0 });
	n8n = createN8n();
	await n8n.importCredentials([exampleCredential(sandbox)]);
	example = exampleWorkflows().find((w) => w.id === 'lynkistSendOrd01');
	leftOver = leftOverFields(example);
	await n8n.importWorkflows([example, leftOver]);
	await n8n.start();
	await n8n.setupOwner();
	await editor.signIn(n8n);
});

afterAll(async () => {
	await editor?.close();
	await n8n?.dispose();
	await sandbox?.close();
});

/**
 * The example as the editor leaves it when it could not reload the fields: shipping_update
 * chosen, order_confirmation's fields still saved, and no input for the editor to resolve the
 * node's `$json` expressions with.
 */
function leftOverFields(workflow: WorkflowJson): WorkflowJson {
	const copy: WorkflowJson & { pinData?: unknown } = JSON.parse(JSON.stringify(workflow));
	copy.id = 'lynkistLeftOver1';
	copy.name = 'Send order confirmation, fields left from another template';
	delete copy.pinData;
	const send = copy.nodes.find((n) => n.name === NODE)!;
	send.parameters.template = {
		__rl: true,
		mode: 'list',
		value: SEED_TEMPLATE_IDS.shipping_update_en_US,
		cachedResultName: SHIPPING_UPDATE,
	};
	return copy;
}

/** The labels of the generated variable fields, as the panel shows them. */
function variableLabels(panel: Locator): Locator {
	return panel.locator('[data-test-id="resource-mapper-container"] label[for^="value["] .n8n-text');
}

async function variableFields(panel: Locator): Promise<string[]> {
	return (await variableLabels(panel).allTextContents()).map((label) => label.trim());
}

/** The fields shown once they are `expected`, or what is still shown after `timeoutMs`. */
async function fieldsBecome(panel: Locator, expected: string[], timeoutMs = 15_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	let shown = await variableFields(panel);
	while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 250));
		shown = await variableFields(panel);
	}
	return shown;
}

/** A screenshot of the panel, scrolled to the variable fields. */
async function screenshot(panel: Locator, name: string): Promise<void> {
	await variableLabels(panel).last().scrollIntoViewIfNeeded();
	await editor.screenshot(resolve(SHOTS, `${name}.png`), panel);
}

async function openSendNode(workflowId: string): Promise<Locator> {
	await editor.openWorkflow(workflowId);
	const panel = await editor.openNode(NODE);
	await variableLabels(panel).first().waitFor();
	return panel;
}

it('opens the example with its template From list by name, and every variable label in full', async () => {
	const panel = await openSendNode(example.id);
	const template = panel.locator('[data-test-id="resource-locator-template"]');
	expect(await template.locator('[data-test-id="rlc-mode-selector"] input').inputValue()).toBe('From list');
	expect(await template.locator('[data-test-id="rlc-input"]').inputValue()).toBe(ORDER_CONFIRMATION);
	expect(await variableFields(panel)).toEqual(ORDER_FIELDS);
	// n8n cuts a label that does not fit with an ellipsis: its text is then wider than its box
	const cut = await variableLabels(panel).evaluateAll((labels) =>
		labels.filter((l) => l.scrollWidth > l.clientWidth).map((l) => l.textContent?.trim()),
	);
	expect(cut).toEqual([]);
	await screenshot(panel, 'example-opened');
});

it("shows the new template's variable fields when the example's template is switched", async () => {
	const panel = await openSendNode(example.id);
	await panel.locator('[data-test-id="resource-locator-template"] [data-test-id="rlc-input"]').click();
	await editor.page.locator('[data-test-id="rlc-item"]').filter({ hasText: SHIPPING_UPDATE }).click();
	const shown = await fieldsBecome(panel, SHIPPING_FIELDS);
	await screenshot(panel, 'example-switched');
	expect(shown).toEqual(SHIPPING_FIELDS);
});

it("shows the chosen template's fields when a node saved with another template's fields is opened", async () => {
	const panel = await openSendNode(leftOver.id);
	const shown = await fieldsBecome(panel, SHIPPING_FIELDS);
	await screenshot(panel, 'left-over-opened');
	expect(shown).toEqual(SHIPPING_FIELDS);
});
