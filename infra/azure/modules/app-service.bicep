// Linux App Service running the bot on Node.js 22 LTS (Node 20 reached its end of life in April
// 2026; 22 is supported until April 2027, 24 until April 2028). HTTPS only, TLS 1.2, no FTP. Secrets are Key Vault
// references resolved with the user-assigned managed identity; the same identity reaches Cosmos
// DB (@azure/identity's DefaultAzureCredential picks it through AZURE_CLIENT_ID).
param planName string
param webAppName string
param location string
param skuName string
param identityResourceId string
param identityClientId string
param appInsightsConnectionString string
param logAnalyticsWorkspaceId string
param botAppId string
param botTenantId string
param botAppPasswordSecretUri string
param identityHashKeySecretUri string
param allowedTenantIds string
param cosmosEndpoint string
param cosmosDatabase string
param directoryFile string
param teamsAppId string
param tabSsoClientId string
param logLevel string
param tags object

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: skuName
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node dist/bot/main.js'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      // The channel tab's two settings only with its app registration: without them there is no tab.
      appSettings: concat([
        { name: 'BOT_MODE', value: 'production' }
        { name: 'MicrosoftAppType', value: 'SingleTenant' }
        { name: 'MicrosoftAppId', value: botAppId }
        { name: 'MicrosoftAppTenantId', value: botTenantId }
        { name: 'MicrosoftAppPassword', value: '@Microsoft.KeyVault(SecretUri=${botAppPasswordSecretUri})' }
        { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
        { name: 'STORE', value: 'cosmos' }
        { name: 'COSMOS_ENDPOINT', value: cosmosEndpoint }
        { name: 'COSMOS_DATABASE', value: cosmosDatabase }
        { name: 'IDENTITY_HASH_KEY', value: '@Microsoft.KeyVault(SecretUri=${identityHashKeySecretUri})' }
        { name: 'DIRECTORY_FILE', value: directoryFile }
        { name: 'LOG_LEVEL', value: logLevel }
        { name: 'AZURE_CLIENT_ID', value: identityClientId }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~22' }
        // The deployed zip already holds the built dist/ and node_modules (teamsapp.yml, deploy).
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'TEAMS_APP_ID', value: teamsAppId }
      ], empty(tabSsoClientId) ? [] : [
        { name: 'PUBLIC_BASE_URL', value: 'https://${webAppName}.azurewebsites.net' }
        { name: 'TAB_SSO_CLIENT_ID', value: tabSsoClientId }
      ])
    }
  }
}

resource basicPublishingFtp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: webApp
  name: 'to-log-analytics'
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
    ]
  }
}

output resourceId string = webApp.id
output defaultHostName string = webApp.properties.defaultHostName
