// Azure resources of the Backa barnet bot, for one environment (dev, test, prod) in one
// resource group: Bot Service (single tenant, Teams channel), App Service (Linux, Node 22 LTS) with a
// user-assigned managed identity, Cosmos DB (serverless, Entra ID only, continuous backup), Key Vault (RBAC) for the
// secrets, and Log Analytics with Application Insights.
//
// Deployed by `teamsapp provision` (teamsapp.yml, arm/deploy) with main.parameters.json, or by
// `az deployment group create -g <rg> -f infra/azure/main.bicep -p infra/azure/main.parameters.json`.
// The Cosmos containers and their partition keys match infra/store/cosmos-containers.ts.
targetScope = 'resourceGroup'

@minLength(4)
@maxLength(20)
@description('Prefix of every resource name, e.g. "backa-dev". Lower-case letters, digits and dashes.')
param resourceBaseName string

@description('Azure region of the resources (Bot Service itself is global).')
param location string = resourceGroup().location

@description('Client id of the bot\'s single-tenant Entra app registration (BOT_ID).')
param botAadAppClientId string

@secure()
@description('Client secret of that app registration; stored in Key Vault, never in app settings.')
param botAadAppClientSecret string

@description('Tenant of the app registration: the municipality\'s tenant.')
param botAadAppTenantId string = tenant().tenantId

@description('Comma-separated tenant ids allowed to use the bot (ALLOWED_TENANT_IDS).')
param allowedTenantIds string = botAadAppTenantId

@secure()
@minLength(32)
@description('Secret of the keyed hash of identity numbers (IDENTITY_HASH_KEY), at least 32 bytes. Generate once and keep: changing it orphans the identity index.')
param identityHashKey string

@description('Path, inside the deployed app, of the municipality\'s directory of units and Barnkontakter.')
param directoryFile string = 'config/directory.yaml'

@description('The Teams app\'s manifest id (TEAMS_APP_ID): the bot finds itself in the organisation\'s app catalog by it, to install itself in the host teams and pin the channel tab.')
param teamsAppId string = ''

@description('Client id of the channel tab\'s Entra app registration (TAB_SSO_CLIENT_ID); empty: the bot serves no tab.')
param tabSsoClientId string = ''

@description('Display name of the bot in the Bot Service.')
param botDisplayName string = 'Backa barnet'

@allowed(['F0', 'S1'])
param botServiceSku string = 'F0'

@description('App Service plan SKU. B1 or larger: Always On keeps reminders and the outbox running.')
param appServicePlanSku string = 'B1'

@description('Days to keep logs in Log Analytics.')
param logRetentionDays int = 90

@description('Log level of the bot (LOG_LEVEL).')
param logLevel string = 'info'

param tags object = {}

var names = {
  identity: '${resourceBaseName}-id'
  logAnalytics: '${resourceBaseName}-logs'
  appInsights: '${resourceBaseName}-ai'
  // Key Vault and Cosmos names are global and limited in length and characters.
  keyVault: take('${replace(resourceBaseName, '-', '')}kv${uniqueString(resourceGroup().id)}', 24)
  cosmos: take('${resourceBaseName}-cosmos-${uniqueString(resourceGroup().id)}', 44)
  appServicePlan: '${resourceBaseName}-plan'
  webApp: '${resourceBaseName}-${uniqueString(resourceGroup().id)}'
  botService: '${resourceBaseName}-bot'
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    retentionInDays: logRetentionDays
    tags: tags
  }
}

module keyVault 'modules/key-vault.bicep' = {
  name: 'keyVault'
  params: {
    name: names.keyVault
    location: location
    readerPrincipalId: identity.outputs.principalId
    botAppPassword: botAadAppClientSecret
    identityHashKey: identityHashKey
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    tags: tags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: names.cosmos
    location: location
    dataContributorPrincipalId: identity.outputs.principalId
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    tags: tags
  }
}

module appService 'modules/app-service.bicep' = {
  name: 'appService'
  params: {
    planName: names.appServicePlan
    webAppName: names.webApp
    location: location
    skuName: appServicePlanSku
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    botAppId: botAadAppClientId
    botTenantId: botAadAppTenantId
    botAppPasswordSecretUri: keyVault.outputs.botAppPasswordSecretUri
    identityHashKeySecretUri: keyVault.outputs.identityHashKeySecretUri
    allowedTenantIds: allowedTenantIds
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabase: cosmos.outputs.databaseName
    directoryFile: directoryFile
    teamsAppId: teamsAppId
    tabSsoClientId: tabSsoClientId
    logLevel: logLevel
    tags: tags
  }
}

module botService 'modules/bot-service.bicep' = {
  name: 'botService'
  params: {
    name: names.botService
    displayName: botDisplayName
    sku: botServiceSku
    endpoint: 'https://${appService.outputs.defaultHostName}/api/messages'
    msaAppId: botAadAppClientId
    msaAppTenantId: botAadAppTenantId
    tags: tags
  }
}

// Read by teamsapp.yml (written to env/.env.<environment>) and by the deploy step.
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = appService.outputs.resourceId
output BOT_DOMAIN string = appService.outputs.defaultHostName
output BOT_ENDPOINT string = 'https://${appService.outputs.defaultHostName}'
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output KEY_VAULT_NAME string = keyVault.outputs.name
