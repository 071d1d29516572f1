#!/usr/bin/env node
'use strict';
/** `npm run sandbox`: the local Lynkist on PORT / LYNKIST_SANDBOX_PORT (4010) and LYNKIST_SANDBOX_HOST. */
const { startSandbox } = require('./index');

async function main() {
	const port = Number(process.env.PORT || process.env.LYNKIST_SANDBOX_PORT || 4010);
	const host = process.env.LYNKIST_SANDBOX_HOST || '127.0.0.1';
	const sandbox = await startSandbox({ port, host });
	process.stdout.write(
		[
			'Lynkist sandbox is running',
			`  API base URL: ${sandbox.apiUrl}`,
			`  Demo API key: ${sandbox.demoKey}`,
			`  Control URL:  ${sandbox.controlUrl}`,
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
