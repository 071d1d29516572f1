'use strict';
/**
 * `npm run bench:media`: one 5 MB image as the header of BENCH_MEDIA_ITEMS (1,000) sends, in a
 * real n8n against the sandbox. The image is downloaded once by n8n's HTTP Request node and
 * joined to every customer by a Merge node (combine all), as a workflow would do it; the Send
 * Template node takes it from the binary (Header Media From Binary).
 *
 * Measured in the same n8n, alternating rounds of three workflows: a No Operation node in place of
 * Send Template; Send Template with the image's public link typed into its header field (the
 * same sends without the file: the baseline for what the file costs); and Send Template with the
 * image from the binary. Memory is n8n's resident set: its peak during the run (VmHWM, reset
 * before each run) above what it was just before. Also: uploads the sandbox received, messages,
 * duplicates. Not a test. Loopback only; every loop is bounded.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, ensureNode } = require('../scripts/runtime');
const { installPackage } = require('../scripts/install-package');
const { N8n } = require('../scripts/n8n');
const { seedDefinition, startSandbox } = require('../sandbox');
const { control, nodeOf, run, sendTemplateParts } = require('./common');

const ROOT = path.resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_MEDIA_ITEMS || 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 2);
const IMAGE_BYTES = 5 * 1024 * 1024;
const UNLIMITED = { per_minute: 1_000_000, minute_window_ms: 60_000, per_day: 10_000_000 };
const HTTP_REQUEST_VERSION = 4.5;
const MB = 1024 * 1024;

async function call(url, init = {}) {
	const response = await fetch(url, init);
	const text = await response.text();
	if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text}`);
	return text ? JSON.parse(text) : undefined;
}

/** A fresh tenant with the image-header template. */
async function tenant(sandbox, name) {
	const { tenant_id: id, key } = await control(sandbox, 'POST', '/tenants', { name, limits: UNLIMITED, lifecycle: { enabled: false } });
	const { data } = await control(sandbox, 'POST', `/tenants/${id}/templates`, seedDefinition('promo_banner', 'en_US'));
	const credential = {
		id: `med${crypto.randomBytes(6).toString('hex')}`.slice(0, 16),
		name: `media ${name}`,
		type: 'lynkistApi',
		data: { apiKey: key, baseUrl: sandbox.apiUrl },
	};
	return { id, key, templateId: data[0].id, credential };
}

/** A 5 MB PNG-typed file somewhere n8n can download it from: a public media link of another tenant. */
async function imageUrl(sandbox) {
	const host = await tenant(sandbox, 'image host');
	const form = new FormData();
	form.append('file', new Blob([crypto.randomBytes(IMAGE_BYTES)], { type: 'image/png' }), 'banner.png');
	const uploaded = await call(`${sandbox.apiUrl}/media/upload`, {
		method: 'POST',
		headers: { authorization: `Bearer ${host.key}` },
		body: form,
	});
	return uploaded.public_url;
}

function workflow(name, url, last) {
	const nodes = [
		nodeOf('Start', 'n8n-nodes-base.manualTrigger', 1, {}),
		nodeOf('Customers', 'n8n-nodes-base.code', 2, {
			jsCode: `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { phone: '+1557' + String(2000000 + i), name: 'Customer ' + i } }));`,
		}),
		nodeOf('Download banner', 'n8n-nodes-base.httpRequest', HTTP_REQUEST_VERSION, {
			url,
			options: { response: { response: { responseFormat: 'file' } } },
		}),
		nodeOf('Merge', 'n8n-nodes-base.merge', 3, { mode: 'combine', combineBy: 'combineAll', options: {} }),
		{ ...last, name: 'Send' },
	];
	return {
		id: `med${crypto.randomBytes(6).toString('hex')}`.slice(0, 16),
		name: `bench media: ${name}`,
		active: false,
		nodes,
		connections: {
			Start: {
				main: [
					[
						{ node: 'Customers', type: 'main', index: 0 },
						{ node: 'Download banner', type: 'main', index: 0 },
					],
				],
			},
			Customers: { main: [[{ node: 'Merge', type: 'main', index: 0 }]] },
			'Download banner': { main: [[{ node: 'Merge', type: 'main', index: 1 }]] },
			Merge: { main: [[{ node: 'Send', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Send Template with the image from the binary (`link` unset), or with a link to it in the header field. */
const sendNode = (t, link) => {
	const values = { body_1: '={{ $json.name }}', ...(link && { header_media: link }) };
	const { parameters, credentials } = sendTemplateParts(t, values, link ? {} : { headerMediaBinary: 'data' });
	return nodeOf('Send', 'n8n-nodes-lynkist.lynkist', 1, parameters, { credentials });
};

const status = (pid) => fs.readFileSync(`/proc/${pid}/status`, 'utf8');
const kb = (text, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)[1]) * 1024;

/** Runs a workflow; n8n's resident set just before, and its peak during the run. */
async function measure(n8n, workflowId) {
	const pid = n8n.server.child.pid;
	fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); // resets VmHWM to the current resident set
	const before = kb(status(pid), 'VmRSS');
	const started = Date.now();
	const execution = await n8n.run(workflowId, { timeoutMs: 600_000 });
	const seconds = (Date.now() - started) / 1000;
	const peak = kb(status(pid), 'VmHWM');
	const items = execution.items('Send');
	return { before, peak, growth: peak - before, seconds, items: items.length, failed: items.filter((i) => i.error).length };
}

async function main() {
	const benchStarted = Date.now();
	const node = ensureNode();
	const runtime = { nodeBin: node.bin, n8nBin: ensureN8n(node).bin };
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lynkist-bench-media-'));
	const sandbox = await startSandbox({ port: 0 });
	const n8n = N8n.create(runtime, installPackage(ROOT, path.join(work, 'nodes')), { folder: path.join(work, 'n8n') });
	try {
		const url = await imageUrl(sandbox);
		const baseline = workflow('baseline', url, nodeOf('Send', 'n8n-nodes-base.noOp', 1, {}));
		const tenants = [];
		const kinds = { link: [], send: [] };
		for (let r = 0; r < ROUNDS; r++) {
			for (const kind of Object.keys(kinds)) {
				const t = await tenant(sandbox, `${kind} #${r + 1}`);
				tenants.push(t);
				kinds[kind].push({ t, workflow: workflow(`${kind} #${r + 1}`, url, sendNode(t, kind === 'link' ? url : undefined)) });
			}
		}
		await n8n.importCredentials(tenants.map((t) => t.credential));
		await n8n.importWorkflows([
			baseline,
			...Object.values(kinds)
				.flat()
				.map((k) => k.workflow),
		]);
		await n8n.start();
		await n8n.setupOwner();
		await measure(n8n, baseline.id); // warm-up

		const sends = async ({ t, workflow: wf }) => {
			const run = await measure(n8n, wf.id);
			const { data: messages } = await control(sandbox, 'GET', `/tenants/${t.id}/messages`);
			const { data: media } = await control(sandbox, 'GET', `/tenants/${t.id}/media`);
			return {
				...run,
				uploads: media.length,
				messages: messages.length,
				duplicates: messages.length - new Set(messages.map((m) => m.to)).size,
			};
		};
		const rows = { baseline: [], link: [], send: [] };
		for (let r = 0; r < ROUNDS; r++) {
			rows.baseline.push(await measure(n8n, baseline.id));
			rows.link.push(await sends(kinds.link[r]));
			rows.send.push(await sends(kinds.send[r]));
			console.error(
				`  round ${r + 1}: no-op +${(rows.baseline[r].growth / MB).toFixed(1)} MB, link +${(rows.link[r].growth / MB).toFixed(1)} MB, binary +${(rows.send[r].growth / MB).toFixed(1)} MB`,
			);
		}

		const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
		const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;
		const line = '-'.repeat(112);
		console.log(
			`bench:media — ${ITEMS} sends of one ${IMAGE_BYTES / MB} MB header image, n8n 2.41.1 (binary data: filesystem, its default), ${os.cpus().length} CPUs, ${ROUNDS} alternating rounds`,
		);
		console.log(line);
		console.log(
			`${'workflow'.padEnd(60)}${'run s'.padStart(8)}${'RSS before'.padStart(12)}${'peak above'.padStart(12)}${'uploads'.padStart(9)}${'sent'.padStart(6)}${'dup'.padStart(5)}`,
		);
		const labels = {
			baseline: 'download → merge → No Operation',
			link: 'download → merge → Send Template, header link typed',
			send: 'download → merge → Send Template, header from binary',
		};
		for (let r = 0; r < ROUNDS; r++) {
			for (const kind of ['baseline', 'link', 'send']) {
				const x = rows[kind][r];
				const cells = kind === 'baseline' ? ['-', '-', '-'] : [x.uploads, x.messages, x.duplicates];
				console.log(
					`${`${labels[kind]} #${r + 1}`.padEnd(60)}${x.seconds.toFixed(1).padStart(8)}${mb(x.before).padStart(12)}${mb(x.growth).padStart(12)}${String(cells[0]).padStart(9)}${String(cells[1]).padStart(6)}${String(cells[2]).padStart(5)}`,
				);
			}
		}
		console.log(line);
		const growth = (kind) => mean(rows[kind].map((x) => x.growth));
		const own = growth('send') - growth('link');
		const failed = [...rows.link, ...rows.send].reduce((n, x) => n + x.failed, 0);
		console.log(
			`the file's own peak memory (from binary − link typed, mean of rounds): ${mb(own)} — goal well under 50 MB: ${own < 50 * MB ? 'met' : 'MISSED'}`,
		);
		console.log(
			`Send Template over No Operation: ${mb(growth('link') - growth('baseline'))} with a link, ${mb(growth('send') - growth('baseline'))} from the binary`,
		);
		console.log(
			`uploads per run from the binary: ${rows.send.map((x) => x.uploads).join(', ')} (goal 1) · failed items: ${failed} · whole bench ${((Date.now() - benchStarted) / 1000).toFixed(0)} s`,
		);
	} finally {
		await n8n.dispose();
		await sandbox.close();
		fs.rmSync(work, { recursive: true, force: true });
	}
}

run(main);
