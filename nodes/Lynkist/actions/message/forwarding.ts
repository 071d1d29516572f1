/**
 * The secret with which Send and Wait's reply endpoint and its waiting executions vouch for their
 * requests to each other, in any n8n process: derived from the credential's API key, which only
 * n8n and Lynkist hold.
 */
import { createHmac } from 'crypto';

import { CREDENTIAL_TYPE } from '../../../shared/constants';
import type { LynkistContext } from '../../../shared/transport';

export async function forwardingSecret(this: LynkistContext): Promise<string> {
	const { apiKey } = await this.getCredentials(CREDENTIAL_TYPE);
	return createHmac('sha256', String(apiKey)).update('n8n-nodes-lynkist: send and wait forwarding').digest('hex');
}
