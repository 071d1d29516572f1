/** What a Send Template run tells the user at its end: replays, stopped runs, and trigger endpoints to revive. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { itemRanges } from '../../../shared/helpers/errors';
import { reviveMessageEndpoints } from '../endpointRevival';

/** In the editor's output: how many sends were replays or skipped as opted out, and whether their delivery events can still reach n8n. */
export async function finish(this: IExecuteFunctions, output: INodeExecutionData[]): Promise<void> {
	const replayed = output.filter((o) => o.json.replayed === true);
	if (replayed.length) {
		const changed = replayed.filter((o) => o.json.messageId === null).length;
		const why = changed
			? ` ${changed} of them had a value that changed since (such as a time, or the link of a header file another n8n process uploaded): their message id is in the earlier execution.`
			: '';
		this.addExecutionHints({
			message: `${replayed.length} of ${output.length} sends were not sent again: Lynkist already had them from the last 24 hours (same recipient, template and variables, or the same Idempotency Key). They are marked replayed: true.${why} To send them anyway, set Options → Duplicate Check to Once per Execution, or give a new Idempotency Key.`,
			location: 'outputPane',
		});
	}
	const skipped = output.filter((o) => o.json.skipped === 'opted out');
	if (skipped.length) {
		this.addExecutionHints({
			message: `${skipped.length} of ${output.length} recipients were not messaged: their Lynkist contact's "${String(skipped[0].json.optOutField)}" says they opted out. Their items are marked skipped: 'opted out'.`,
			location: 'outputPane',
		});
	}
	if (output.some((o) => o.json.messageId)) await reviveMessageEndpoints.call(this, { maxRetries: 0 });
}

/** Which items Lynkist had accepted when the node stopped: a Retry of the execution does not send them again. */
export function summarize(done: Array<{ itemIndex: number; json: IDataObject }>, total: number) {
	const accepted = done.filter((d) => d.json.messageId);
	const ids = accepted.map((d) => String(d.json.messageId));
	const shown = ids.slice(0, 10).join(', ') + (ids.length > 10 ? `, and ${ids.length - 10} more (all in this error's details)` : '');
	return {
		text: accepted.length
			? `Before the node stopped, Lynkist had accepted items ${itemRanges(accepted.map((d) => d.itemIndex))} (${accepted.length} of ${total}): ${shown}. Retrying this execution does not message them again.`
			: `Lynkist had accepted none of the ${total} items when the node stopped.`,
		context: { accepted: accepted.map((d) => ({ item: d.itemIndex + 1, messageId: d.json.messageId })) },
	};
}
