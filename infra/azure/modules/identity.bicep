// The bot's user-assigned managed identity: reads Key Vault secrets and Cosmos DB data.
// (The bot authenticates to the Bot Connector with its app registration, not with this.)
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output resourceId string = identity.id
output principalId string = identity.properties.principalId
output clientId string = identity.properties.clientId
