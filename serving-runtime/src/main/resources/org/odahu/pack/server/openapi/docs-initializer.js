// Swagger UI on this server's own OpenAPI document (served next to this page, so that the page
// works behind a path prefix). No validator: nothing is fetched from outside the server.
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: new URL("../openapi.json", window.location.href).toString(),
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null,
  });
};
