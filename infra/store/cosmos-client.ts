/**
 * The Cosmos DB client with retry limits that fit a Teams turn. The SDK's default retries a
 * throttled request for up to 30 s; Teams gives an `Action.Execute` about 5 s and then shows
 * an error, so we would rather fail fast, answer, and let the user (or the outbox) retry.
 */
import {
  type Agent,
  CosmosClient,
  type RetryOptions,
  type CosmosClientOptions as SdkClientOptions,
} from '@azure/cosmos';

/** Entra ID credential (e.g. `ManagedIdentityCredential` from @azure/identity). */
export type CosmosCredential = NonNullable<SdkClientOptions['aadCredentials']>;

export const interactiveRetryOptions: Readonly<RetryOptions> = {
  maxRetryAttemptCount: 3,
  maxWaitTimeInSeconds: 3,
};

export interface CosmosClientOptions {
  readonly endpoint: string;
  /** Account key; when absent, `credential` (managed identity in Azure) is used. */
  readonly key?: string;
  readonly credential?: CosmosCredential;
  /** Transport override, e.g. a proxy agent. */
  readonly agent?: Agent;
}

export function createCosmosClient(options: CosmosClientOptions): CosmosClient {
  if (options.key === undefined && options.credential === undefined) {
    throw new Error('Cosmos DB needs either an account key or a credential');
  }
  return new CosmosClient({
    endpoint: options.endpoint,
    ...(options.key === undefined ? {} : { key: options.key }),
    ...(options.key === undefined && options.credential !== undefined
      ? { aadCredentials: options.credential }
      : {}),
    ...(options.agent === undefined ? {} : { agent: options.agent }),
    connectionPolicy: { retryOptions: { ...interactiveRetryOptions } },
  });
}
