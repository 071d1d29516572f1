/**
 * The sends Lynkist accepted in this process, by execution, node, run and item. n8n's Retry On
 * Fail runs the node again within the same execution and run: an item accepted on an earlier try
 * is answered from here, so it is not sent again even when one of its values has changed since
 * (a time, a fresh upload link), which a new key would otherwise turn into a second message.
 */
import type { IDataObject } from 'n8n-workflow';

/** Oldest entries are forgotten first beyond this many. */
const MAX_ENTRIES = 100_000;

const accepted = new Map<string, IDataObject>();

export function recallAccepted(key: string): IDataObject | undefined {
	return accepted.get(key);
}

export function rememberAccepted(key: string, json: IDataObject): void {
	if (accepted.size >= MAX_ENTRIES) accepted.delete(accepted.keys().next().value as string);
	accepted.set(key, json);
}
