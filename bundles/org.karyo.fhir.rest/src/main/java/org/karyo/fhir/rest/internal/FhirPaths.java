package org.karyo.fhir.rest.internal;

import java.io.IOException;
import javax.servlet.RequestDispatcher;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/**
 * Serves the FHIR API at {@code /fhir/r5} and {@code /FHIR/R5} (JupyterHealth Exchange's path), where FHIR clients
 * expect it: each request is forwarded, inside the server, to the same interaction under {@code /api/fhir/r5}, with
 * the base URL the client used kept for the links and locations of the answer. The platform's security, gates, audit
 * and request ids apply exactly as at {@code /api/fhir/r5}; what the platform refuses before the interaction runs
 * (401, a gate's 403, 429, 503 in maintenance) is answered as an OperationOutcome here ({@link OutcomeResponse}), as a
 * problem document at {@code /api/fhir/r5} like the rest of {@code /api}.
 */
@Component(
        service = javax.servlet.Servlet.class,
        property = {
            "osgi.http.whiteboard.servlet.name=karyo.fhir.paths",
            "osgi.http.whiteboard.servlet.pattern=/fhir/r5/*",
            "osgi.http.whiteboard.servlet.pattern=/fhir/r5",
            "osgi.http.whiteboard.servlet.pattern=/FHIR/R5/*",
            "osgi.http.whiteboard.servlet.pattern=/FHIR/R5",
            "osgi.http.whiteboard.servlet.asyncSupported=true"
        })
public final class FhirPaths extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** The context path of the platform's JAX-RS application. */
    static final String API = "/api";

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        ServletContext api = getServletContext().getContext(API);
        if (api == null) {
            res.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        String rest = req.getPathInfo() == null ? "" : req.getPathInfo();
        StringBuffer url = req.getRequestURL();
        int cut = url.length()
                - (req.getRequestURI().length()
                        - req.getContextPath().length()
                        - req.getServletPath().length());
        req.setAttribute(FhirResource.BASE_ATTRIBUTE, url.substring(0, Math.max(0, cut)));
        String query = req.getQueryString();
        RequestDispatcher target =
                api.getRequestDispatcher("/" + FhirResource.BASE + rest + (query == null ? "" : "?" + query));
        OutcomeResponse answer = new OutcomeResponse(res);
        target.forward(req, answer);
        answer.finish();
    }
}
