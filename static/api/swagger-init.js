// Swagger UI on the portal's own OpenAPI description; a file of its own, not an inline
// script, so that the Content-Security-Policy (script-src 'self') holds.
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  if (!element || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: element.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    deepLinking: false,
    // No badge: it would send the description to a validator on another site.
    validatorUrl: null,
    supportedSubmitMethods: ["get", "head"],
    // The page says what the description's info block would (title, licence), and one h1
    // is enough: Swagger UI's own is left out.
    plugins: [
      function () {
        return { components: { InfoContainer: function () { return null; } } };
      },
    ],
  });
})();
