-- Argo CD health check for agentdeploy.io/ControlPlane and ClusterControlPlane (Lua 5.1, as Argo CD
-- runs it). Healthy when the API key was checked against the control plane (Ready True for the
-- current generation); Degraded when a person must fix the key, its Secret or the base URL;
-- Progressing while unchecked, unreachable (retried) or kept for its AgentDeployments while deleted.
-- Every reason and its health: docs/reasons.md.
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
  Unauthorized = true, SecretNotFound = true, SecretKeyNotFound = true, UnexpectedResponse = true,
  InvalidSelector = true, InsecureBaseUrl = true, BaseUrlNotAllowed = true, InvalidBaseUrl = true, InvalidCaBundle = true, TlsUntrusted = true,
  InvalidHeaderValue = true, InvalidSecretValue = true
}

local ready = condition("Ready")

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: " .. text(condition("Deleting"), "waiting for the operator to release it")
  return hs
end

if obj.status == nil or obj.status.observedGeneration == nil or ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to check the API key"
  return hs
end

if obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. obj.metadata.generation
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Ready")
  return hs
end

if needsAction[ready.reason] then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = ready.reason .. ": " .. text(ready, "")
return hs
