package org.odahu.pack.server.openapi;

import static org.odahu.pack.server.openapi.Tree.array;
import static org.odahu.pack.server.openapi.Tree.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.odahu.pack.gppi.ModelSchema;
import org.odahu.pack.server.http.ModelIdentity;
import org.odahu.pack.server.http.Route;

/**
 * The OpenAPI 3.1 document of a server: every route it serves (but CORS preflights), with the
 * model's input and output schemas and examples built from its {@code info()}.
 */
public final class OpenApiDocument {
  /** The OpenAPI version written. */
  public static final String VERSION = "3.1.0";

  private OpenApiDocument() {}

  /**
   * The document.
   *
   * @param v2Model the model as the Open Inference Protocol's paths name it
   * @param routes the routes the server serves, in order
   * @param serverVersion this server's version, named in the description
   */
  public static ObjectNode build(
      ModelIdentity model,
      ModelIdentity v2Model,
      ModelSchema schema,
      List<Route> routes,
      String serverVersion) {
    Operations operations = new Operations(v2Model, schema);
    ObjectNode paths = object();
    for (Route route : routes) {
      if (route.method().equals("OPTIONS")) {
        continue;
      }
      String path = Operations.path(route);
      ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
      String method = route.method().toLowerCase(Locale.ROOT);
      if (!item.has(method)) {
        item.set(method, operations.operation(route));
      }
    }
    return object(
        "openapi", VERSION,
        "info",
            object(
                "title", model.name(),
                "version", model.version(),
                "description",
                    "Model "
                        + model.name()
                        + " "
                        + model.version()
                        + " served by odahu-pack "
                        + serverVersion
                        + ": ODAHU's model API, the Open Inference Protocol (v2) and MLflow's"
                        + " scoring protocol, over one prediction pipeline."),
        "tags",
            array(
                tag(Operations.ODAHU, "ODAHU's model API, as ODAHU's model server answers it"),
                tag(Operations.V2, "KServe's V2 inference protocol (REST)"),
                tag(Operations.MLFLOW, "MLflow's scoring server protocol"),
                tag(Operations.SERVER, "Health, metrics, feedback and this document")),
        // The server itself asks for no credentials (a gateway in front of it may).
        "security", array(),
        "servers", array(object("url", "/", "description", "This server")),
        "paths", paths,
        "components", object("schemas", Components.schemas(schema)));
  }

  private static ObjectNode tag(String name, String description) {
    return object("name", name, "description", description);
  }
}
