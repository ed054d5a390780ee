/**
 * The unit tests' in-memory stores must behave like the real ones: the same contract suite that
 * runs against SQLite and Cosmos DB runs against the fake.
 */
import { describeErasureContract } from '../contract/erasure-contract.js';
import { describeStorageContract } from '../contract/storage-contract.js';
import { createInMemoryData, createInMemoryStores, type InMemoryData } from '../support/in-memory-stores.js';

let data: InMemoryData = createInMemoryData();

describeStorageContract('in-memory fake', {
  async open() {
    data = createInMemoryData();
    return createInMemoryStores(data);
  },
  async reopen() {
    return createInMemoryStores(data);
  },
});

describeErasureContract('in-memory fake', {
  async open() {
    data = createInMemoryData();
    return createInMemoryStores(data);
  },
});
