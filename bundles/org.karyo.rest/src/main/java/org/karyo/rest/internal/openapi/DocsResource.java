package org.karyo.rest.internal.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.karyo.api.KaryoException;
import org.karyo.api.security.Public;
import org.karyo.rest.support.Karyo;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/docs}: Swagger UI (the {@code org.webjars:swagger-ui} assets packed into this bundle) showing
 * {@code /api/openapi.json}. The page has its own Content-Security-Policy: scripts and styles from this origin only.
 */
@Component(service = DocsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(Karyo.APPLICATION_SELECT)
@Path("docs")
@Public
@Undocumented
public final class DocsResource {
    /** Swagger UI's inline styles need 'unsafe-inline' for styles; scripts stay same-origin only. */
    public static final String DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'none'";

    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String[] ROOTS = {"docs/", "swagger-ui/"};
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "html", "text/html; charset=utf-8",
            "svg", "image/svg+xml");

    @GET
    public Response index(@Context UriInfo uri) {
        String base = escape(uri.getBaseUri().getRawPath());
        if (!base.endsWith("/")) {
            base = base + "/";
        }
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>Karyo API</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + base + "docs/swagger-ui.css\">\n"
                + "<link rel=\"icon\" type=\"image/png\" href=\"" + base + "docs/favicon-32x32.png\">\n"
                + "</head>\n<body>\n"
                + "<div id=\"swagger-ui\" data-openapi=\"" + base + "openapi.json\"></div>\n"
                + "<script src=\"" + base + "docs/swagger-ui-bundle.js\"></script>\n"
                + "<script src=\"" + base + "docs/karyo-docs.js\"></script>\n"
                + "</body>\n</html>\n";
        return Response.ok(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8")
                .header("Content-Security-Policy", DOCS_CSP)
                .header("Cache-Control", "no-cache")
                .build();
    }

    @GET
    @Path("{file}")
    public Response asset(@PathParam("file") String file) throws IOException {
        String type = file == null || !FILE.matcher(file).matches() ? null : TYPES.get(extension(file));
        URL url = type == null ? null : find(file);
        if (url == null) {
            throw KaryoException.notFound(
                    "document", file == null ? "" : "docs/" + file.replaceAll("[^A-Za-z0-9._-]", "?"));
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        }
        return Response.ok(bytes, type)
                .header("Content-Security-Policy", DOCS_CSP)
                .header("Cache-Control", "public, max-age=3600")
                .build();
    }

    private URL find(String file) {
        ClassLoader loader = DocsResource.class.getClassLoader();
        for (String root : ROOTS) {
            URL url = loader.getResource(root + file);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}
