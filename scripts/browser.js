'use strict';
/**
 * n8n's editor in a real browser: Chromium driven by playwright-core, signed in to a running n8n
 * (see n8n.js) as its owner. Opens a workflow, a node's panel, takes screenshots; everything else
 * goes through `editor.page` (a Playwright Page). Used by the editor tests; nothing in it is
 * specific to one test.
 *
 * The browser is the machine's Chromium (Debian's package at /usr/bin/chromium, or the binary
 * LYNKIST_CHROMIUM names); playwright-core never downloads one.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { BROWSER_ID } = require('./n8n');

const CHROMIUM = process.env.LYNKIST_CHROMIUM || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Why the browser cannot start here, or undefined when it can. */
function chromiumMissing() {
	if (fs.existsSync(CHROMIUM)) return undefined;
	return (
		`Chromium not found at ${CHROMIUM}; the editor tests drive n8n's editor in it.\n` +
		'Install it: sudo apt-get update && sudo apt-get install -y chromium   (Debian/Ubuntu; .ci/run does this itself)\n' +
		'or point LYNKIST_CHROMIUM at a Chromium or Chrome binary.'
	);
}

class Editor {
	/**
	 * @param {import('playwright-core').BrowserContext} context
	 * @param {string} profile the temporary user-data-dir, removed on close
	 */
	constructor(context, profile) {
		this.context = context;
		this.profile = profile;
		this.page = context.pages()[0];
		this.baseUrl = '';
	}

	/**
	 * Starts Chromium with a fresh profile. Throws, saying how to install it, when it is missing.
	 * @param {{ viewport?: { width: number, height: number } }} [options]
	 */
	static async launch({ viewport = { width: 1440, height: 900 } } = {}) {
		const missing = chromiumMissing();
		if (missing) throw new Error(missing);
		const { chromium } = require('playwright-core');
		const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-chromium-'));
		try {
			const context = await chromium.launchPersistentContext(profile, {
				executablePath: CHROMIUM,
				headless: true,
				args: CHROMIUM_ARGS,
				viewport,
			});
			return new Editor(context, profile);
		} catch (error) {
			fs.rmSync(profile, { recursive: true, force: true });
			throw error;
		}
	}

	/**
	 * Signs in with the session of an n8n API client (logging it in first when it has none). n8n
	 * binds a session to the browser id it was created with, so the page presents the same one.
	 * @param {import('./n8n').N8nApi} api
	 */
	async signIn(api) {
		if (!api.cookie) await api.login();
		const [name, value] = api.cookie.split(/=(.*)/s);
		await this.context.addCookies([{ name, value, url: api.url }]);
		await this.context.addInitScript((id) => localStorage.setItem('n8n-browserId', id), BROWSER_ID);
		this.baseUrl = api.url;
	}

	/** Opens a saved workflow in the editor and waits for its canvas. */
	async openWorkflow(workflowId) {
		await this.page.goto(`${this.baseUrl}/workflow/${workflowId}`);
		await this.page.locator('[data-test-id="canvas-node"]').first().waitFor();
	}

	/**
	 * Opens a node's panel (NDV) by the node's name, as a double click on the canvas does.
	 * @returns {Promise<import('playwright-core').Locator>} the panel
	 */
	async openNode(name) {
		await this.page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		const panel = this.page.locator('[data-test-id="ndv"]');
		await panel.waitFor();
		return panel;
	}

	/**
	 * A PNG of the page, or of one element of it (e.g. the panel `openNode` returned).
	 * @param {string} file
	 * @param {import('playwright-core').Locator} [element]
	 */
	async screenshot(file, element) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		await (element ?? this.page).screenshot({ path: file });
		return file;
	}

	async close() {
		await this.context.close();
		fs.rmSync(this.profile, { recursive: true, force: true });
	}
}

module.exports = { Editor };
