#!/usr/bin/env node
'use strict';
/**
 * `npm run sandbox`: the local Lynkist on PORT / LYNKIST_SANDBOX_PORT (4010) and LYNKIST_SANDBOX_HOST;
 * `--docs-only` (or LYNKIST_SANDBOX_DOCS_ONLY=1) answers only what Lynkist documents.
 */
const { startSandbox } = require('./index');

async function main() {
	const port = Number(process.env.PORT || process.env.LYNKIST_SANDBOX_PORT || 4010);
	const host = process.env.LYNKIST_SANDBOX_HOST || '127.0.0.1';
	const docsOnly = process.argv.slice(2).includes('--docs-only') || ['1', 'true'].includes(process.env.LYNKIST_SANDBOX_DOCS_ONLY ?? '');
	const sandbox = await startSandbox({ port, host, docsOnly });
	process.stdout.write(
		[
			'Lynkist sandbox is running',
			`  API base URL: ${sandbox.apiUrl}`,
			`  Demo API key: ${sandbox.demoKey}`,
			`  Control URL:  ${sandbox.controlUrl}`,
			`  Mode:         ${docsOnly ? 'docs-only (answers only what Lynkist documents)' : 'ordinary (with the sandbox assumptions)'}`,
			'Press Ctrl+C to stop.',
			'',
		].join('\n'),
	);
	const stop = (signal) => {
		process.stdout.write(`\nReceived ${signal}, shutting down…\n`);
		sandbox.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`Could not start the Lynkist sandbox: ${error.message}\n`);
	process.exit(1);
});
