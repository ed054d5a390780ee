/**
 * The Cosmos DB containers of the bot: names and partition keys. The Bicep in infra/azure
 * declares the same names and paths; `cosmos-stores.ts` explains why each key was chosen.
 */
import type { Container, ContainerDefinition, Database } from '@azure/cosmos';

export interface CosmosContainerSpec {
  readonly id: string;
  readonly partitionKeyPath: string;
  /**
   * -1 turns per-document `ttl` on without expiring anything by default: only documents that
   * set `ttl` (finished outbox messages and reminders, audit entries, handled activities) expire.
   */
  readonly defaultTtl?: number;
}

export const cosmosContainers = {
  cases: { id: 'cases', partitionKeyPath: '/id' },
  identityIndex: { id: 'identityIndex', partitionKeyPath: '/identityKey' },
  conversations: { id: 'conversations', partitionKeyPath: '/key' },
  outbox: { id: 'outbox', partitionKeyPath: '/queue', defaultTtl: -1 },
  reminders: { id: 'reminders', partitionKeyPath: '/queue', defaultTtl: -1 },
  audit: { id: 'audit', partitionKeyPath: '/caseId', defaultTtl: -1 },
  activities: { id: 'activities', partitionKeyPath: '/id', defaultTtl: -1 },
  meetings: { id: 'meetings', partitionKeyPath: '/id' },
  /** Follow-up figure events: a term's figures are read from its own partition. */
  figures: { id: 'figures', partitionKeyPath: '/term' },
} as const satisfies Record<string, CosmosContainerSpec>;

export type CosmosContainerName = keyof typeof cosmosContainers;

/** The one partition-key value of the outbox and reminder queues. */
export const outboxQueue = 'outbox';
export const reminderQueue = 'reminders';

export type CosmosContainers = Readonly<Record<CosmosContainerName, Container>>;

/** Creates the containers that do not exist yet (local servers and first deployments). */
export async function ensureCosmosContainers(database: Database): Promise<CosmosContainers> {
  const entries = await Promise.all(
    (Object.entries(cosmosContainers) as [CosmosContainerName, CosmosContainerSpec][]).map(
      async ([name, spec]) => {
        const definition: ContainerDefinition = {
          id: spec.id,
          partitionKey: { paths: [spec.partitionKeyPath] },
          ...(spec.defaultTtl === undefined ? {} : { defaultTtl: spec.defaultTtl }),
        };
        const { container } = await database.containers.createIfNotExists(definition);
        return [name, container] as const;
      },
    ),
  );
  return Object.fromEntries(entries) as CosmosContainers;
}

/** References the containers without creating them (production: Bicep owns them). */
export function referenceCosmosContainers(database: Database): CosmosContainers {
  const entries = (Object.entries(cosmosContainers) as [CosmosContainerName, CosmosContainerSpec][]).map(
    ([name, spec]) => [name, database.container(spec.id)] as const,
  );
  return Object.fromEntries(entries) as CosmosContainers;
}
