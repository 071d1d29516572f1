/**
 * Dispatches each input item to the module of the chosen resource and operation, keeps output
 * in input order with `pairedItem`, and turns a failed item into an error item when the node is
 * set to continue on fail.
 */
import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as template from './template';

type Operation = (this: IExecuteFunctions, itemIndex: number) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	template: {
		create: template.create.execute,
		submit: template.submit.execute,
		get: template.get.execute,
		getAll: template.getAll.execute,
	},
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			output.push(...(await execute.call(this, itemIndex)));
		} catch (error) {
			if (!this.continueOnFail()) {
				if (error instanceof NodeApiError) throw new NodeApiError(this.getNode(), error as unknown as JsonObject);
				throw new NodeOperationError(this.getNode(), error, { itemIndex });
			}
			output.push({
				json: { error: error.message, description: error.description ?? undefined, httpCode: error.httpCode ?? undefined },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [output];
}
