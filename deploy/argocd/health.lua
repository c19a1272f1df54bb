-- Argo CD health check for agentdeploy.io/AgentDeployment (Lua 5.1, as Argo CD runs it).
-- Healthy only when Ready is True for the current generation; Progressing while the operator has
-- not seen the current generation or a rollout/deletion is under way; Degraded when a person must
-- act (failed revision, rejected spec, name conflict, missing Secret, refused key); Suspended when
-- paused or expired. Every reason and its health: docs/reasons.md.
local hs = {}

local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

local function text(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

-- The reasons a person must act on: the Degraded rows of docs/reasons.md (a test keeps them equal).
local needsAction = {
  RevisionFailed = true, ProgressDeadlineExceeded = true, RemoteRejected = true, SupersededExternally = true,
  DriftUnresolvable = true,
  Unauthorized = true, CreateOutcomeUnknown = true, InvalidSpec = true, NameConflict = true, AdoptionFailed = true,
  SecretNotFound = true, SecretKeyNotFound = true, InvalidCaBundle = true, TlsUntrusted = true, ConfigMapNotFound = true, ConfigMapKeyNotFound = true,
  ControlPlaneNotFound = true, ProviderMismatch = true, NamespaceNotAllowed = true,
  ClusterControlPlanesDisabled = true, AccountNotAccepted = true, ControlPlaneChanged = true,
  InvalidSecretValue = true, InvalidConfigMapValue = true
}

local ready = condition("Ready")
local synced = condition("Synced")

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: " .. text(ready, "waiting for the remote deployment to be deleted")
  return hs
end

if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile this resource"
  return hs
end

if obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end

if obj.status.phase == "Paused" or (synced ~= nil and synced.reason == "Paused") then
  hs.status = "Suspended"
  hs.message = text(synced, "Reconciliation is paused")
  return hs
end

if obj.status.phase == "Expired" or (ready ~= nil and ready.reason == "Expired") then
  hs.status = "Suspended"
  hs.message = text(ready, "The preview deployment has expired")
  return hs
end

if ready ~= nil and ready.status == "True" and ready.observedGeneration == obj.metadata.generation then
  hs.status = "Healthy"
  hs.message = text(ready, "Ready")
  return hs
end

if synced ~= nil and synced.status == "False" and needsAction[synced.reason] then
  hs.status = "Degraded"
  hs.message = synced.reason .. ": " .. text(synced, "")
  return hs
end

if ready ~= nil and ready.status == "False" and needsAction[ready.reason] then
  hs.status = "Degraded"
  hs.message = ready.reason .. ": " .. text(ready, "")
  return hs
end

hs.status = "Progressing"
if synced ~= nil and synced.status == "False" then
  hs.message = synced.reason .. ": " .. text(synced, "")
else
  hs.message = text(ready, "Rolling out")
end
return hs
