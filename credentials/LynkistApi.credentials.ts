import type { IAuthenticate, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

export class LynkistApi implements ICredentialType {
	name = 'lynkistApi';

	displayName = 'Lynkist API';

	icon: Icon = { light: 'file:../icons/lynkist.svg', dark: 'file:../icons/lynkist.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-lynkist#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'lk_sk_live_…',
			description:
				'A Lynkist API key (Dashboard → Settings → API keys). Give it the scopes the nodes use: templates:read, templates:write, messages:send, media:write, webhooks:read, webhooks:write.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: 'https://api.lynkist.io/api/v1/public',
			description: 'Leave as is for Lynkist. Change it only to go through a proxy or to use a local Lynkist sandbox.',
		},
	];

	/**
	 * Sends the key as a Bearer token. A function rather than a generic `=Bearer {{…}}` header:
	 * n8n evaluates a generic header as an expression on every request, which a node sending
	 * thousands of messages pays for each one.
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiKey)}` };
		return requestOptions;
	};

	/**
	 * One request, as n8n's declarative credential test allows. It proves the key, the plan and the
	 * Base URL, and the templates:read scope; the other scopes cannot be checked here without
	 * sending (a test function would need n8n's deprecated request helper, which n8n's scanner
	 * refuses), so a send or webhook call that lacks one fails naming the scope and the key's own.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/templates',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Lynkist rejected the API key (invalid or revoked). Paste a current key from the Lynkist dashboard, and check that the Base URL matches where it was issued.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Lynkist refused this key: it lacks the templates:read scope, or your plan has no API access. Give the key the scopes the nodes use (templates:read, templates:write, messages:send, media:write, webhooks:read, webhooks:write), or enable API access for your plan, in the Lynkist dashboard.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message: 'No Lynkist API answers at this Base URL. It should end in /api/v1/public, e.g. https://api.lynkist.io/api/v1/public.',
				},
			},
		],
	};
}
