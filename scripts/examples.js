'use strict';
/** The example workflows (`examples/*.json`) and the "Lynkist sandbox" credential they are wired to. */
const fs = require('node:fs');
const path = require('node:path');

const DIR = path.resolve(__dirname, '..', 'examples');

/** The id the example workflows use for their credential. */
const CREDENTIAL_ID = 'lynkistSandbox01';

function exampleWorkflows() {
	return fs
		.readdirSync(DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')));
}

/**
 * That credential as n8n imports it, pointing at a running sandbox's demo tenant.
 * @param {{ demoKey: string | null, apiUrl: string }} sandbox
 */
function exampleCredential(sandbox) {
	return { id: CREDENTIAL_ID, name: 'Lynkist sandbox', type: 'lynkistApi', data: { apiKey: sandbox.demoKey, baseUrl: sandbox.apiUrl } };
}

/** The AI agent example's chat model credential, imported without a key: the user gives theirs. */
const MODEL_CREDENTIAL = {
	id: 'openAiExample01',
	name: 'OpenAI',
	type: 'openAiApi',
	data: { apiKey: '', url: 'https://api.openai.com/v1' },
};

module.exports = { exampleWorkflows, exampleCredential, MODEL_CREDENTIAL };
