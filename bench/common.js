'use strict';
/** What every benchmark needs besides n8n: the sandbox's control surface, and a main that exits non-zero on failure. */

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

module.exports = { control, run };
