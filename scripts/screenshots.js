'use strict';
/**
 * `npm run screenshots`: the README's screenshots, taken in n8n's own editor. Starts the sandbox
 * and n8n exactly as `npm run dev` does, drives Chromium through the editor, writes one PNG per
 * shot to docs/ (or to the folder LYNKIST_SCREENSHOTS_DIR names), then stops everything.
 *
 * Each shot is a fixed size cut from a fixed viewport, starting at the corner of the part of the
 * editor it is about; before writing it the script checks that what the shot is for lies inside
 * it, so an n8n that lays its editor out differently fails here rather than cutting it off.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./bootstrap');
const { Editor } = require('./browser');
const { exampleWorkflows } = require('./examples');
const { startLocal } = require('./local');
const { DEMO_TENANT_ID } = require('../sandbox');

const VIEWPORT = { width: 1440, height: 2000 };

/** Toasts and tooltips come and go with timing; no shot is about them. */
const HIDE_TRANSIENT = '.el-notification, [data-reka-popper-content-wrapper] { visibility: hidden !important; }';

const SEND_EXAMPLE = 'lynkistSendOrd01';
const SEND_NODE = 'Send order confirmation';
const LOCAL_NUMBER_WORKFLOW = 'lynkistShotErr01';

/** The order example with a second order whose phone number has no country code. */
function localNumberWorkflow() {
	const workflow = JSON.parse(JSON.stringify(exampleWorkflows().find((w) => w.id === SEND_EXAMPLE)));
	workflow.id = LOCAL_NUMBER_WORKFLOW;
	workflow.name = 'Order confirmation: a phone number without its country code';
	const hook = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.webhook');
	hook.webhookId = 'c6a5f0c2-3b1e-4d59-9a7e-2f8d1b6c4e10';
	hook.parameters.path = 'order-paid-local-number';
	const [order] = workflow.pinData['Order paid'];
	const body = { order_id: 'ORD-1043', total: '$9.50', customer: { first_name: 'Grace', phone: '(555) 010-0199' } };
	workflow.pinData['Order paid'].push({ json: { ...order.json, body } });
	return workflow;
}

const byTestId = (id) => `[data-test-id="${id}"]`;

/**
 * Writes `shot.width` × `shot.height` pixels of the page, from the left edge of `left` and the top
 * edge of `top` (less `above` pixels), once every element in `shows` lies inside them.
 * @param {import('playwright-core').Page} page
 * @param {{ left: Locator, top?: Locator, above?: number, shows: Locator[] }} frame
 * @typedef {import('playwright-core').Locator} Locator
 */
async function capture(page, file, shot, { left, top = left, above = 0, shows }) {
	await page.mouse.move(0, 0); // no hover state on what the shot shows
	const x = Math.round((await left.boundingBox()).x);
	const y = Math.round((await top.boundingBox()).y) - above;
	const clip = { x, y, width: shot.width, height: shot.height };
	const viewport = page.viewportSize();
	if (clip.x + clip.width > viewport.width || clip.y + clip.height > viewport.height) {
		throw new Error(`${shot.file}: ${JSON.stringify(clip)} does not fit in the ${viewport.width}×${viewport.height} viewport`);
	}
	for (const element of shows) {
		const box = await element.boundingBox();
		const inside =
			box && box.x >= clip.x && box.y >= clip.y && box.x + box.width <= clip.x + clip.width && box.y + box.height <= clip.y + clip.height;
		if (!inside) throw new Error(`${shot.file}: ${element} (${JSON.stringify(box)}) is not inside ${JSON.stringify(clip)}`);
	}
	await page.screenshot({ path: file, clip, animations: 'disabled', style: HIDE_TRANSIENT });
}

/**
 * Opens a saved workflow. Once the editor is loaded this moves n8n's router, as the editor's own
 * links do, instead of loading the editor again (which costs 10–20 s on a busy machine): through
 * the workflow list, so that the canvas waited for is the new one. No shot edits its workflow, so
 * no "unsaved changes" question comes in the way.
 */
async function openWorkflow(editor, workflowId) {
	const { page } = editor;
	if (!page.url().includes('/workflow/')) return editor.openWorkflow(workflowId);
	// what is open over the canvas (a node's panel, the nodes panel) closes first, as Escape closes it
	for (const overlay of [page.locator(byTestId('ndv')), page.locator(byTestId('node-creator'))]) {
		if (await overlay.isVisible()) {
			await page.keyboard.press('Escape');
			await overlay.waitFor({ state: 'hidden' });
		}
	}
	const route = (to) =>
		page.evaluate((url) => {
			history.pushState({}, '', url);
			dispatchEvent(new PopStateEvent('popstate'));
		}, to);
	await route('/home/workflows');
	await page.locator(byTestId('resources-list-wrapper')).waitFor();
	await route(`/workflow/${workflowId}`);
	await page.locator(byTestId('canvas-node')).first().waitFor();
}

/** The parts of a node's panel the shots are cut from. */
function panes(panel) {
	return { parameters: panel.locator(byTestId('node-parameters')), output: panel.locator(byTestId('output-panel')) };
}

/** Opens a node of a saved workflow and waits for its parameters. */
async function openNode(editor, workflowId, name) {
	await openWorkflow(editor, workflowId);
	const { parameters, output } = panes(await editor.openNode(name));
	await parameters.waitFor();
	return { parameters, output };
}

/** Switches an output pane to its JSON view and waits for `text` in it; returns the view. */
async function jsonShowing(output, text) {
	await output.locator(byTestId('radio-button-json')).click();
	const json = output.locator(byTestId('ndv-data-container'));
	await json.getByText(text).waitFor();
	return json;
}

/**
 * Opens a workflow, runs it with the editor's "Execute workflow" button, waits until the Send node
 * is marked with `status` ('success' or 'error'), and opens it.
 */
async function runAndOpen(editor, workflowId, status) {
	await openWorkflow(editor, workflowId);
	await editor.page.locator(byTestId('execute-workflow-button')).click();
	await editor.page.locator(`[data-node-name="${SEND_NODE}"] ${byTestId(`canvas-node-status-mark-${status}`)}`).waitFor();
	return panes(await editor.openNode(SEND_NODE));
}

/** The nodes panel searched for "Lynkist": the package's actions and triggers. */
async function nodesPanel(editor) {
	const { page } = editor;
	await openWorkflow(editor, 'lynkistTplFlow01');
	await page.locator(byTestId('canvas-handle-plus')).click();
	const creator = page.locator(byTestId('node-creator'));
	await creator.locator(byTestId('node-creator-search-bar')).fill('Lynkist');
	await creator
		.locator(byTestId('node-creator-item-name'))
		.filter({ hasText: /^Lynkist$/ })
		.click();
	await creator.locator(byTestId('node-creator-category-item')).filter({ hasText: 'Triggers' }).click();
	const items = creator.locator(byTestId('node-creator-item-name'));
	await items.filter({ hasText: 'On message sent' }).waitFor();
	return { left: creator, shows: [items.filter({ hasText: 'Send a template message' }), items.last()] };
}

/** The order example's Send Template: its template picked from the list and its variable fields. */
async function sendTemplate(editor) {
	const { parameters } = await openNode(editor, SEND_EXAMPLE, SEND_NODE);
	const fields = parameters.locator(`${byTestId('resource-mapper-container')} [data-test-id^="parameter-expression-preview-"]`);
	await fields.nth(4).waitFor();
	return { left: parameters, shows: [parameters.locator(byTestId('resource-locator-template')), fields.last()] };
}

/** The order example run from the editor with its pinned order: the Send node's output. */
async function runOutput(editor) {
	const { parameters, output } = await runAndOpen(editor, SEND_EXAMPLE, 'success');
	const json = await jsonShowing(output, '"accepted"');
	return { left: parameters, top: output, shows: [json.getByText('"messageId"'), json.getByText('"requestId"')] };
}

/** The template example's Create Template: its builder, from Components Input to Submit for Approval. */
async function createBuilder(editor) {
	const { parameters } = await openNode(editor, 'lynkistTplFlow01', 'Create template');
	const builder = parameters
		.locator(byTestId('parameter-item'))
		.filter({ has: editor.page.locator(byTestId('parameter-input-componentsMode')) });
	return { left: parameters, top: builder, above: 12, shows: [parameters.locator(byTestId('parameter-input-submitForApproval'))] };
}

/** The alert example's Lynkist Trigger, listening, with a failed message's event in its output. */
async function trigger(editor, { sandbox }) {
	const { parameters, output } = await openNode(editor, 'lynkistDlvTrk01', 'Message failed');
	await output.getByRole('button', { name: 'Test this trigger' }).click();
	// listening means n8n has registered the trigger's test endpoint at Lynkist
	const demo = `${sandbox.controlUrl}/tenants/${DEMO_TENANT_ID}`;
	const deadline = Date.now() + 60_000;
	for (;;) {
		const { data } = await (await fetch(`${demo}/webhooks`)).json();
		if (data.some((endpoint) => endpoint.url.includes('/webhook-test/'))) break;
		if (Date.now() > deadline) throw new Error('the trigger registered no test endpoint at the sandbox in 60 s');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	const sent = await fetch(`${demo}/events`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ type: 'message.failed' }),
	});
	if (!sent.ok) throw new Error(`the sandbox did not send a test event: ${sent.status} ${await sent.text()}`);
	const json = await jsonShowing(output, '"errorMessage"');
	return { left: parameters, top: output, shows: [json.getByText('"event"'), json.getByText('"webhookId"')] };
}

const ASK_EXAMPLE = 'lynkistAskAppt01';
const ASK_NODE = 'Ask the customer to confirm';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The appointment example run from the editor with its pinned booking: the question goes out,
 * the customer taps "Yes, I'll be there", and the Send and Wait node's output shows the answer.
 */
async function sendAndWait(editor, { sandbox }) {
	const demo = `${sandbox.controlUrl}/tenants/${DEMO_TENANT_ID}`;
	const control = async (method, route, body) => {
		const response = await fetch(`${demo}${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body && JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`the sandbox answered ${method} ${route} with ${response.status}: ${await response.text()}`);
		return (await response.json()).data;
	};
	const before = new Set((await control('GET', '/messages')).map((m) => m.message_id));
	await openWorkflow(editor, ASK_EXAMPLE);
	await editor.page.locator(byTestId('execute-workflow-button')).click();
	let question;
	for (const deadline = Date.now() + 60_000; !question; await sleep(200)) {
		if (Date.now() > deadline) throw new Error('the appointment example sent no question in 60 s');
		question = (await control('GET', '/messages')).find((m) => !before.has(m.message_id));
	}
	// n8n takes the answer once the execution waits: the customer taps until n8n has taken it
	for (const deadline = Date.now() + 60_000; ; await sleep(500)) {
		const { deliveries } = await control('POST', `/messages/${question.message_id}/reply`, { button: 0, retries: false });
		if (deliveries.some((d) => d.attempts.some((a) => a.ok))) break;
		if (Date.now() > deadline) throw new Error('n8n took no answer to the appointment question in 60 s');
	}
	await editor.page.locator(`[data-node-name="${ASK_NODE}"] ${byTestId('canvas-node-status-mark-success')}`).waitFor();
	const { parameters, output } = panes(await editor.openNode(ASK_NODE));
	const json = await jsonShowing(output, '"replied"');
	return { left: parameters, top: output, shows: [json.getByText('"replyType"'), json.getByText('"repliedAt"')] };
}

/** A run that stops on an order without a country code: the Send node's error. */
async function runError(editor) {
	const { output } = await runAndOpen(editor, LOCAL_NUMBER_WORKFLOW, 'error');
	await output.locator(byTestId('node-error-message')).waitFor();
	return { left: output, shows: [output.locator(byTestId('node-error-description'))] };
}

/** Every shot: its file, its size in pixels, and how it is taken (in this order). */
const SHOTS = [
	{ file: 'nodes-panel.png', width: 385, height: 1480, take: nodesPanel },
	{ file: 'send-template.png', width: 419, height: 986, take: sendTemplate },
	{ file: 'create-builder.png', width: 419, height: 1190, take: createBuilder },
	{ file: 'trigger.png', width: 904, height: 512, take: trigger },
	{ file: 'run-output.png', width: 904, height: 410, take: runOutput },
	{ file: 'error.png', width: 484, height: 360, take: runError },
	{ file: 'send-and-wait.png', width: 904, height: 620, take: sendAndWait },
];

/** Takes every shot into `dir` with an editor signed in to the running `local` (see local.js). */
async function takeShots(editor, local, dir) {
	fs.mkdirSync(dir, { recursive: true });
	for (const shot of SHOTS) {
		const t0 = Date.now();
		const file = path.join(dir, shot.file);
		await capture(editor.page, file, shot, await shot.take(editor, local));
		console.log(`  ${file} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	}
}

async function main() {
	const dir = path.resolve(process.env.LYNKIST_SCREENSHOTS_DIR || path.join(ROOT, 'docs'));
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-screenshots-'));
	// First, so that a machine without Chromium fails in a second, saying how to install it.
	const editor = await Editor.launch({ viewport: VIEWPORT });
	let local;
	try {
		local = await startLocal({ dir: work, workflows: [localNumberWorkflow()] });
		await editor.signIn(local.n8n);
		await takeShots(editor, local, dir);
	} finally {
		await editor.close();
		await local?.stop();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}

module.exports = { SHOTS };
