// Cosmos DB for NoSQL, serverless, reachable with Entra ID only (local/key auth disabled). The
// managed identity gets the built-in "Cosmos DB Built-in Data Contributor" data-plane role.
// Containers and partition keys: see infra/store/cosmos-containers.ts.
param accountName string
param location string
param dataContributorPrincipalId string
param logAnalyticsWorkspaceId string
param tags object
param databaseName string = 'backa'

// Built-in data-plane role "Cosmos DB Built-in Data Contributor".
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

// defaultTtl -1: time-to-live is on, but only documents that carry their own `ttl` expire.
var containers = [
  { name: 'cases', partitionKey: '/id', defaultTtl: null }
  { name: 'identityIndex', partitionKey: '/identityKey', defaultTtl: null }
  { name: 'conversations', partitionKey: '/key', defaultTtl: null }
  { name: 'outbox', partitionKey: '/queue', defaultTtl: -1 }
  { name: 'reminders', partitionKey: '/queue', defaultTtl: -1 }
  { name: 'audit', partitionKey: '/caseId', defaultTtl: -1 }
  { name: 'activities', partitionKey: '/id', defaultTtl: -1 }
  { name: 'meetings', partitionKey: '/id', defaultTtl: null }
  { name: 'figures', partitionKey: '/term', defaultTtl: null }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: [
      {
        name: 'EnableServerless'
      }
    ]
    // Point-in-time restore to any second of the last 30 days (into a new account; see
    // docs/deployment.md). Continuous mode cannot be switched back to periodic.
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous30Days'
      }
    }
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for container in containers: {
    parent: database
    name: container.name
    properties: {
      resource: union(
        {
          id: container.name
          partitionKey: {
            paths: [container.partitionKey]
            kind: 'Hash'
            version: 2
          }
        },
        container.defaultTtl == null ? {} : { defaultTtl: container.defaultTtl }
      )
    }
  }
]

resource dataContributor 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: account
  name: guid(account.id, dataContributorPrincipalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: dataContributorPrincipalId
    scope: account.id
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: account
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'ControlPlaneRequests'
        enabled: true
      }
    ]
  }
}

output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
