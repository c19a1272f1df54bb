package io.agentdeploy.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** Runs the health scripts of deploy/argocd/ the way Argo CD does: {@code obj} global in, a table out. */
final class ArgoHealth {
  static final Path SCRIPT = Path.of("deploy/argocd/health.lua");
  static final Path CONTROL_PLANE_SCRIPT = Path.of("deploy/argocd/controlplane-health.lua");

  record Health(String status, String message) {}

  private ArgoHealth() {}

  static Health evaluate(JsonNode resource) throws Exception {
    return evaluate(SCRIPT, resource);
  }

  static Health evaluate(Path script, JsonNode resource) throws Exception {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(resource));
    LuaValue result = globals.load(Files.readString(script), script.getFileName().toString()).call();
    return new Health(result.get("status").optjstring(null), result.get("message").optjstring(null));
  }

  private static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable t = new LuaTable();
      node.fields().forEachRemaining(e -> t.set(e.getKey(), toLua(e.getValue())));
      return t;
    }
    if (node.isArray()) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        t.set(i + 1, toLua(node.get(i)));
      }
      return t;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    return LuaValue.valueOf(node.asText());
  }
}
