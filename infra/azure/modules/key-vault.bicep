// Key Vault with Azure RBAC (no access policies). Holds the bot's client secret and the key of
// the identity-number hash; the App Service reads them as Key Vault references through the
// managed identity, which gets "Key Vault Secrets User" on this vault only.
param name string
param location string
param readerPrincipalId string
@secure()
param botAppPassword string
@secure()
param identityHashKey string
param logAnalyticsWorkspaceId string
param tags object

// Built-in role "Key Vault Secrets User".
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource botAppPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bot-app-password'
  properties: {
    value: botAppPassword
    contentType: 'Client secret of the bot app registration'
  }
}

resource identityHashKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'identity-hash-key'
  properties: {
    value: identityHashKey
    contentType: 'Key of the keyed hash of identity numbers'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource auditLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'audit-to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output name string = vault.name
// Unversioned URIs: App Service picks up a rotated secret without a redeploy.
output botAppPasswordSecretUri string = '${vault.properties.vaultUri}secrets/${botAppPasswordSecret.name}'
output identityHashKeySecretUri string = '${vault.properties.vaultUri}secrets/${identityHashKeySecret.name}'
